// Measurements a load generator cannot make: time to the first streamed byte, memory with
// many streams held open, and time from spawn to the first answer.
import { freePort, pinned, rssMb, type Pinning } from './servers.ts'

export interface Percentiles {
  p50: number
  p90: number
  p99: number
}

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99) }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length / 2
  if (sorted.length === 0) return Number.NaN
  return Number.isInteger(middle) ? ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2 : (sorted[Math.floor(middle)] as number)
}

export interface RequestSpec {
  url: string
  body: string
  headers: Record<string, string>
}

/**
 * Sequential streamed requests on one keep-alive connection: ms from sending to the first
 * body bytes (the first SSE event). The client's own cost is the same for every target,
 * so differences between targets are the hop's.
 */
export async function timeToFirstByte(spec: RequestSpec, samples: number): Promise<Percentiles & { samples: number }> {
  const times: number[] = []
  for (let i = 0; i < samples; i++) {
    const started = performance.now()
    const response = await fetch(spec.url, { method: 'POST', body: spec.body, headers: spec.headers })
    if (!response.ok || !response.body) throw new Error(`${spec.url} answered ${response.status}: ${await response.text()}`)
    const reader = response.body.getReader()
    const first = await reader.read()
    times.push(performance.now() - started)
    if (first.done) throw new Error(`${spec.url} sent an empty stream`)
    while (!(await reader.read()).done);
  }
  return { ...percentiles(times), samples }
}

export interface OpenStreamsResult {
  streams: number
  /** Highest RSS of the process while the streams were open, MB. */
  peakRssMb: number
  /** Streams that ended with the dialect's end marker. */
  completed: number
  ms: number
}

/**
 * Opens `count` slow streams at once, samples the server's RSS while they are all open and
 * reads every one to its end.
 */
export async function holdStreams(spec: RequestSpec, count: number, pid: number, endMarker: string): Promise<OpenStreamsResult> {
  const started = performance.now()
  let peak = rssMb(pid)
  let open = true
  const sampler = (async () => {
    while (open) {
      peak = Math.max(peak, rssMb(pid))
      await Bun.sleep(25)
    }
  })()
  const decoder = new TextDecoder()
  const one = async (): Promise<boolean> => {
    const response = await fetch(spec.url, { method: 'POST', body: spec.body, headers: spec.headers })
    if (!response.ok || !response.body) throw new Error(`${spec.url} answered ${response.status}: ${await response.text()}`)
    let tail = ''
    for await (const chunk of response.body) tail = (tail + decoder.decode(chunk)).slice(-200)
    return tail.includes(endMarker)
  }
  const outcomes = await Promise.all(Array.from({ length: count }, one))
  open = false
  await sampler
  return { streams: count, peakRssMb: peak, completed: outcomes.filter(Boolean).length, ms: performance.now() - started }
}

export interface StartupResult {
  runs: number[]
  medianMs: number
}

/** Spawn → first 200 on /health, polling every 2 ms; the process is stopped after each run. */
export async function measureStartup(argv: (port: number) => string[], cwd: string, runs: number, pinning: Pinning): Promise<StartupResult> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const port = freePort()
    const started = performance.now()
    const child = Bun.spawn(pinned(pinning, pinning.serverCore, argv(port)), { cwd, stdin: 'ignore', stdout: 'ignore', stderr: 'ignore' })
    try {
      for (;;) {
        if (performance.now() - started > 10_000) throw new Error(`no 200 on /health within 10 s: ${argv(port).join(' ')}`)
        const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
          (response) => response.status === 200,
          () => false,
        )
        if (ok) break
        await Bun.sleep(2)
      }
      times.push(performance.now() - started)
    } finally {
      child.kill('SIGKILL')
      await child.exited
    }
  }
  return { runs: times, medianMs: median(times) }
}

export interface IdleConnectionsResult {
  /** Connections opened, each answered once and then left idle (keep-alive). */
  connections: number
  /** Still open when the RSS was read. */
  open: number
  rssBeforeMb: number
  rssMb: number
}

/**
 * Opens `count` keep-alive connections to `url` (batches, to stay under the listen
 * backlog), sends one GET on each, waits for every answer's first bytes, then reads the
 * server's RSS while all of them sit idle, and closes them.
 */
export async function holdIdleConnections(url: string, count: number, pid: number): Promise<IdleConnectionsResult> {
  const { hostname, port, pathname } = new URL(url)
  const request = `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nConnection: keep-alive\r\n\r\n`
  const rssBeforeMb = rssMb(pid)
  const sockets: Array<{ end(): void }> = []
  let open = 0
  const one = () =>
    new Promise<void>((resolve, reject) => {
      let answered = false
      Bun.connect({
        hostname,
        port: Number(port),
        socket: {
          open(socket) {
            open++
            socket.write(request)
          },
          data() {
            if (!answered) {
              answered = true
              resolve()
            }
          },
          close() {
            open--
            if (!answered) reject(new Error(`${url}: connection closed before an answer`))
          },
          error(_socket, error) {
            reject(error)
          },
        },
      }).then((socket) => sockets.push(socket), reject)
    })
  const batch = 500
  try {
    for (let done = 0; done < count; done += batch) await Promise.all(Array.from({ length: Math.min(batch, count - done) }, one))
    await Bun.sleep(500)
    return { connections: count, open, rssBeforeMb, rssMb: rssMb(pid) }
  } finally {
    for (const socket of sockets) socket.end()
  }
}
