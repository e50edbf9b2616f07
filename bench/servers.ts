// Starting and watching the processes under test: each is a subprocess pinned to the
// servers' core, found by the `listening on http://HOST:PORT` line it prints, measured
// through /proc (RSS, CPU time) and stopped by its own pid.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Subprocess } from 'bun'

export interface Pinning {
  /** taskset is used (2+ cores and BENCH_PIN is not 0). */
  enabled: boolean
  loadCore: number
  serverCore: number
}

export function detectPinning(): Pinning {
  const cores = navigator.hardwareConcurrency
  const taskset = Bun.which('taskset') !== null
  return { enabled: taskset && cores >= 2 && process.env.BENCH_PIN !== '0', loadCore: 0, serverCore: 1 }
}

/** `argv` run on one core when pinning is on. */
export function pinned(pinning: Pinning, core: number, argv: string[]): string[] {
  return pinning.enabled ? ['taskset', '-c', String(core), ...argv] : argv
}

/** Keeps the bench's own threads (TTFB and open-stream clients) on the load core. */
export function pinSelf(pinning: Pinning): void {
  if (pinning.enabled) Bun.spawnSync(['taskset', '-a', '-p', '-c', String(pinning.loadCore), String(process.pid)], { stdout: 'ignore', stderr: 'ignore' })
}

export interface Server {
  name: string
  url: string
  pid: number
  process: Subprocess
  /** Where the process's stderr goes. */
  logPath: string
  stop(): Promise<void>
}

export interface LaunchOptions {
  name: string
  argv: string[]
  cwd: string
  logDir: string
  pinning: Pinning
  timeoutMs?: number
}

// Up to the port: in JSON log lines the URL is followed by a quote.
const BANNER = /listening on (http:\/\/[\w.:[\]-]+)/

export async function launch(options: LaunchOptions): Promise<Server> {
  const logPath = join(options.logDir, `${options.name}.stderr.log`)
  const child = Bun.spawn(pinned(options.pinning, options.pinning.serverCore, options.argv), {
    cwd: options.cwd,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: Bun.file(logPath),
  })
  const url = await readBanner(child, options.timeoutMs ?? 15_000).catch((error: unknown) => {
    child.kill()
    const log = existsSync(logPath) ? readFileSync(logPath, 'utf8').trim().split('\n').slice(-5).join('\n') : ''
    throw new Error(`${options.name} did not start: ${(error as Error).message}${log ? `\n${log}` : ''}`)
  })
  return {
    name: options.name,
    url,
    pid: child.pid,
    process: child,
    logPath,
    async stop() {
      child.kill('SIGTERM')
      const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(3000).then(() => false)])
      if (!exited) child.kill('SIGKILL')
    },
  }
}

/** Reads stdout up to the banner, then keeps draining it so the child never blocks on a full pipe. */
async function readBanner(child: Subprocess<'ignore', 'pipe', Bun.BunFile>, timeoutMs: number): Promise<string> {
  const reader = child.stdout.getReader()
  const decoder = new TextDecoder()
  let seen = ''
  const deadline = Bun.sleep(timeoutMs).then(() => 'timeout' as const)
  for (;;) {
    const next = await Promise.race([reader.read(), deadline])
    if (next === 'timeout') throw new Error(`no "listening on" line within ${timeoutMs} ms`)
    if (next.done) throw new Error(`exited with code ${await child.exited} before printing "listening on"`)
    seen += decoder.decode(next.value, { stream: true })
    const match = BANNER.exec(seen)
    if (match?.[1]) {
      void drain(reader)
      return match[1].replace(/\/+$/, '')
    }
  }
}

async function drain(reader: { read(): Promise<{ done: boolean }> }): Promise<void> {
  try {
    while (!(await reader.read()).done);
  } catch {
    // The process is gone; nothing left to drain.
  }
}

/** Resident memory in MB (VmRSS), or NaN when the process is gone. */
export function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) / 1024 : Number.NaN
  } catch {
    return Number.NaN
  }
}

const TICK_MS = 1000 / 100

/** utime + stime of a process (with its waited-for children when asked), in ms. */
export function cpuMs(pid: number | 'self', withChildren = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name, which may itself contain spaces and parentheses.
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number)
    const own = (fields[11] ?? 0) + (fields[12] ?? 0)
    const children = withChildren ? (fields[13] ?? 0) + (fields[14] ?? 0) : 0
    return (own + children) * TICK_MS
  } catch {
    return Number.NaN
  }
}

/** Busy and total CPU time of the whole machine, in ms. */
export function machineCpuMs(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
  const values = line.trim().split(/\s+/).slice(1).map(Number)
  const total = values.reduce((sum, value) => sum + value, 0)
  const idle = (values[3] ?? 0) + (values[4] ?? 0)
  return { busy: (total - idle) * TICK_MS, total: total * TICK_MS }
}

/** A free loopback port (for the startup probe, which cannot wait for a banner). */
export function freePort(): number {
  const listener = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = listener.port
  listener.stop(true)
  return port
}
