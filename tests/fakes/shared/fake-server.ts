// The HTTP side every fake shares: a Bun server on 127.0.0.1 with a free port, a journal of
// every request, and a forced stop. Idle timeouts are off so that only the gateway's own
// timeouts decide when a stalled exchange ends.
import { journalEntry, type JournalEntry } from './journal.ts'

export type FakeHandler = (req: Request, entry: JournalEntry) => Response | Promise<Response>

export interface FakeServer {
  /** `http://127.0.0.1:<port>` */
  origin: string
  port: number
  journal: JournalEntry[]
  /** Resolves once the journal holds at least `count` requests (tests use it instead of sleeping). */
  waitForRequests(count: number): Promise<void>
  /** The most requests this server was handling at once (arrival until its response was handed over). */
  peakConcurrent(): number
  stop(): Promise<void>
}

export function startFakeServer(handler: FakeHandler, now: () => number): FakeServer {
  const journal: JournalEntry[] = []
  const waiters: { count: number; resolve: () => void }[] = []
  const record = (entry: JournalEntry) => {
    journal.push(entry)
    for (let i = waiters.length - 1; i >= 0; i--) {
      const waiter = waiters[i]
      if (waiter && journal.length >= waiter.count) {
        waiters.splice(i, 1)
        waiter.resolve()
      }
    }
  }
  let active = 0
  let peak = 0
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      peak = Math.max(peak, ++active)
      try {
        const entry = await journalEntry(req, new URL(req.url), now())
        record(entry)
        return await handler(req, entry)
      } finally {
        active--
      }
    },
  })
  const port = server.port ?? 0
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    journal,
    peakConcurrent: () => peak,
    waitForRequests: (count) => (journal.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    stop: () => server.stop(true),
  }
}
