// The load generator: wrk when it is installed (faster, and what peer-bench.md used),
// else autocannon from the devDependencies under Node. Both run pinned to the load core,
// keep-alive, a fixed number of connections, POSTing one body for a fixed time.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pinned, type Pinning } from './servers.ts'

export interface LoadSpec {
  url: string
  connections: number
  seconds: number
  body: string
  headers: Record<string, string>
}

export interface LoadResult {
  requests: number
  seconds: number
  rps: number
  /** Latency to the whole response, ms. */
  p50: number
  p90: number
  p99: number
  non2xx: number
  errors: number
}

export interface LoadGenerator {
  name: string
  run(spec: LoadSpec): Promise<LoadResult>
}

export function chooseLoadGenerator(pinning: Pinning, workDir: string, repoDir: string): LoadGenerator {
  const forced = process.env.BENCH_LOAD
  const wrk = Bun.which('wrk')
  if (forced !== 'autocannon' && wrk !== null) return wrkGenerator(wrk, pinning, workDir)
  if (forced === 'wrk') throw new Error('BENCH_LOAD=wrk but wrk is not installed (apt-get install -y wrk)')
  const node = Bun.which('node')
  if (node === null) throw new Error('neither wrk nor node (for autocannon) is installed')
  return autocannonGenerator(node, pinning, repoDir)
}

function wrkGenerator(wrk: string, pinning: Pinning, workDir: string): LoadGenerator {
  const scripts = new Map<string, string>()
  const scriptFor = (spec: LoadSpec): string => {
    const key = JSON.stringify([spec.body, spec.headers])
    let path = scripts.get(key)
    if (path === undefined) {
      path = join(workDir, `wrk-${scripts.size}.lua`)
      const headers = Object.entries(spec.headers).map(([name, value]) => `wrk.headers[${luaString(name)}] = ${luaString(value)}`)
      writeFileSync(path, ['wrk.method = "POST"', `wrk.body = ${luaString(spec.body)}`, ...headers, ''].join('\n'))
      scripts.set(key, path)
    }
    return path
  }
  return {
    name: 'wrk',
    async run(spec) {
      const argv = [wrk, '-t1', `-c${spec.connections}`, `-d${spec.seconds}s`, '--latency', '-s', scriptFor(spec), spec.url]
      const out = await runTool(pinned(pinning, pinning.loadCore, argv))
      return parseWrk(out)
    },
  }
}

function autocannonGenerator(node: string, pinning: Pinning, repoDir: string): LoadGenerator {
  const driver = join(repoDir, 'bench', 'autocannon-driver.mjs')
  return {
    name: 'autocannon',
    async run(spec) {
      const out = await runTool(pinned(pinning, pinning.loadCore, [node, driver, JSON.stringify(spec)]), repoDir)
      const line = out.trim().split('\n').at(-1) ?? ''
      return JSON.parse(line) as LoadResult
    },
  }
}

async function runTool(argv: string[], cwd?: string): Promise<string> {
  const child = Bun.spawn(argv, { stdout: 'pipe', stderr: 'pipe', ...(cwd ? { cwd } : {}) })
  const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited])
  if (code !== 0) throw new Error(`${argv.join(' ')} exited ${code}: ${err.trim() || out.trim()}`)
  return out
}

function luaString(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 }

function wrkDuration(text: string | undefined): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? '')
  return match ? Number(match[1]) * (UNIT_MS[match[2] as string] ?? Number.NaN) : Number.NaN
}

export function parseWrk(out: string): LoadResult {
  const percentile = (p: string) => wrkDuration(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(out)?.[1])
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m),/.exec(out)
  if (!total) throw new Error(`cannot read wrk output:\n${out}`)
  const requests = Number(total[1])
  const seconds = (Number(total[2]) * (UNIT_MS[total[3] as string] ?? Number.NaN)) / 1000
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  const errors = socket ? socket.slice(1).reduce((sum, value) => sum + Number(value), 0) : 0
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p50: percentile('50'),
    p90: percentile('90'),
    p99: percentile('99'),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    errors,
  }
}
