// `npm run bench:observe`: what monitoring costs, in one run on one machine. Three gateways
// from source in front of the bench upstream, measured interleaved round by round:
//   before   the code just before monitoring landed (a temporary git worktree; OBSERVE_BEFORE
//            names another commit), so no metrics, request ids or access log
//   metrics  this code as shipped: metrics, request id, Server-Timing, access log (text)
//   tracing  the same with OTEL_EXPORTER_OTLP_ENDPOINT set (spans exported to a local sink)
// Prints requests per second and latency per scenario and gateway (median of the rounds).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chooseLoadGenerator, type LoadResult } from './load.ts'
import { HEADERS, OPENAI_BODY, OPENAI_STREAM_BODY } from './scenarios.ts'
import { detectPinning, launch, type Server } from './servers.ts'
import { CLIENT_KEY, UPSTREAM_KEY } from './setup.ts'

const repo = resolve(import.meta.dir, '..')
const seconds = Number(process.env.BENCH_SECONDS ?? 3)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16)
const bun = process.execPath

const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim()

/** The commit before the one that added src/observe. */
function beforeMonitoring(): string {
  if (process.env.OBSERVE_BEFORE) return process.env.OBSERVE_BEFORE
  const added = git('log', '--diff-filter=A', '--format=%H', '--', 'src/observe/metrics.ts').split('\n').at(-1)
  if (!added) throw new Error('no commit adds src/observe/metrics.ts; set OBSERVE_BEFORE')
  return `${added}^`
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'sb-observe-bench-'))
  const old = join(work, 'before')
  const pinning = detectPinning()
  const servers: Server[] = []
  const spansReceived = { count: 0 }
  const sink = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      await request.arrayBuffer()
      spansReceived.count++
      return Response.json({})
    },
  })
  git('worktree', 'add', '--detach', old, beforeMonitoring())
  try {
    symlinkSync(join(repo, 'node_modules'), join(old, 'node_modules'))
    const up = async (name: string, argv: string[], env: Record<string, string> = {}) => {
      const vars = Object.entries(env).map(([key, value]) => `${key}=${value}`)
      const server = await launch({ name, argv: vars.length > 0 ? ['env', ...vars, ...argv] : argv, cwd: work, logDir: work, pinning })
      servers.push(server)
      return server
    }
    const upstream = await up('upstream', [bun, join(repo, 'bench', 'upstream.ts')])
    const config = join(work, 'config.json')
    writeFileSync(
      config,
      JSON.stringify({
        HOST: '127.0.0.1',
        MODEL_PROVIDER: 'openai-custom',
        OPENAI_API_KEY: UPSTREAM_KEY,
        OPENAI_BASE_URL: `${upstream.url}/v1`,
        HEALTH_CHECK_CRON: '0 0 0 1 1 *',
        CRON_REFRESH_TOKEN: false,
      }),
    )
    const gateway = (dir: string) => [bun, join(dir, 'src', 'index.ts'), '--config', config, '--api-key', CLIENT_KEY, '--port', '0']
    const targets = {
      before: await up('before', gateway(old)),
      metrics: await up('metrics', gateway(repo)),
      tracing: await up('tracing', gateway(repo), { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sink.port}` }),
    }
    const load = chooseLoadGenerator(pinning, work, repo)
    const only = process.env.BENCH_SCENARIO
    const scenarios = Object.fromEntries(
      Object.entries({ 'openai non-stream': OPENAI_BODY, 'openai stream': OPENAI_STREAM_BODY }).filter(([name]) => !only || name.includes(only)),
    )
    const results: Record<string, Record<string, LoadResult[]>> = {}
    for (let round = 1; round <= rounds; round++) {
      for (const [scenario, body] of Object.entries(scenarios)) {
        // A different order each round, so no gateway always runs right after another.
        const order = Object.entries(targets)
        for (let shift = 0; shift < round - 1; shift++) order.push(order.shift() as [string, Server])
        for (const [name, server] of order) {
          const result = await load.run({ url: `${server.url}/v1/chat/completions`, connections, seconds, body, headers: HEADERS })
          ;((results[scenario] ??= {})[name] ??= []).push(result)
          console.error(`round ${round} ${scenario} ${name}: ${Math.round(result.rps)} req/s`)
        }
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN
    console.log(`\nmonitoring cost (${load.name}, ${connections} connections, ${rounds} rounds x ${seconds} s, median; shared machine: indicative)`)
    console.log('scenario            gateway    req/s    vs before   p50 ms   p99 ms')
    for (const [scenario, byTarget] of Object.entries(results)) {
      const base = median((byTarget.before ?? []).map((r) => r.rps))
      for (const [name, list] of Object.entries(byTarget)) {
        const rps = median(list.map((r) => r.rps))
        const ratio = `${((rps / base - 1) * 100).toFixed(1)}%`
        console.log(
          `${scenario.padEnd(20)}${name.padEnd(10)}${String(Math.round(rps)).padStart(7)}${ratio.padStart(12)}${median(list.map((r) => r.p50))
            .toFixed(2)
            .padStart(9)}${median(list.map((r) => r.p99))
            .toFixed(2)
            .padStart(9)}`,
        )
      }
    }
    console.log(`span exports received by the sink: ${spansReceived.count}`)
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
    sink.stop(true)
    git('worktree', 'remove', '--force', old)
    rmSync(work, { recursive: true, force: true })
  }
}

await main()
