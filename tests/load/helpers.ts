// Shared pieces of the load and fault tests: request helpers, SSE reading, raw HTTP over
// TCP (for paths fetch would normalise), and a tiny upstream that reports cancellations.
import type { TestGateway } from '../helpers/gateway.ts'

export const JSON_HEADERS = { 'content-type': 'application/json' }

/** The `data:` payloads of an SSE body, in order. */
export function sseData(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trim())
}

/** The text an OpenAI chat-completion stream carried. */
export function openaiStreamText(text: string): string {
  let out = ''
  for (const data of sseData(text)) {
    if (data === '[DONE]') continue
    const chunk = JSON.parse(data) as { choices?: { delta?: { content?: string } }[] }
    out += chunk.choices?.[0]?.delta?.content ?? ''
  }
  return out
}

/** Sum of every member's in-flight count across providers. */
export function inFlight(gw: TestGateway): number {
  let total = 0
  for (const members of Object.values(gw.gateway.pools.snapshot())) for (const member of members ?? []) total += member.inFlight
  return total
}

/** Resident memory after a full collection, in bytes. */
export function settledRss(): number {
  Bun.gc(true)
  return process.memoryUsage().rss
}

export interface RawReply {
  status: number
  text: string
}

/** One HTTP/1.1 request written byte for byte over TCP, so the path reaches the server unnormalised. */
export async function rawRequest(gw: TestGateway, head: string, body = ''): Promise<RawReply> {
  const { port } = new URL(gw.url)
  const chunks: Uint8Array[] = []
  const { promise, resolve, reject } = Promise.withResolvers<void>()
  const socket = await Bun.connect({
    hostname: '127.0.0.1',
    port: Number(port),
    socket: {
      data(_socket, data) {
        chunks.push(new Uint8Array(data))
      },
      close() {
        resolve()
      },
      error(_socket, error) {
        reject(error)
      },
    },
  })
  socket.write(`${head}\r\nhost: 127.0.0.1\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`)
  socket.flush()
  await promise
  const text = Buffer.concat(chunks).toString('utf8')
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)
  return { status, text: text.slice(text.indexOf('\r\n\r\n') + 4) }
}

export interface CancelWatchingUpstream {
  /** Base URL including `/v1`. */
  url: string
  /** Chat requests received so far. */
  started: number
  /** Streams whose client (the gateway) went away before the answer finished. */
  cancelled: number
  /** Resolves once `count` streams were cancelled. */
  waitForCancelled(count: number): Promise<void>
  /** Resolves once `count` requests started. */
  waitForStarted(count: number): Promise<void>
  stop(): Promise<void>
}

function counterWaiter() {
  let value = 0
  const waiters: { count: number; resolve: () => void }[] = []
  return {
    get value() {
      return value
    },
    bump() {
      value++
      for (let i = waiters.length - 1; i >= 0; i--) {
        const waiter = waiters[i]
        if (waiter && value >= waiter.count) {
          waiters.splice(i, 1)
          waiter.resolve()
        }
      }
    },
    wait(count: number): Promise<void> {
      return value >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))
    },
  }
}

/**
 * An OpenAI-shaped upstream whose streams send one chunk and then hold until the reader
 * cancels: the counter of cancelled streams is the proof that the gateway let go.
 */
export function startCancelWatchingUpstream(): CancelWatchingUpstream {
  const started = counterWaiter()
  const cancelled = counterWaiter()
  const encoder = new TextEncoder()
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      await req.text()
      started.bump()
      let finished = false
      const onGone = () => {
        if (finished) return
        finished = true
        cancelled.bump()
      }
      req.signal.addEventListener('abort', onGone, { once: true })
      const first = {
        id: 'c1',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'm',
        choices: [{ index: 0, delta: { role: 'assistant', content: 'first' }, finish_reason: null }],
      }
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(`data: ${JSON.stringify(first)}\n\n`))
        },
        cancel: onGone,
      })
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
    },
  })
  return {
    url: `http://127.0.0.1:${server.port}/v1`,
    get started() {
      return started.value
    },
    get cancelled() {
      return cancelled.value
    },
    waitForCancelled: (count) => cancelled.wait(count),
    waitForStarted: (count) => started.wait(count),
    stop: () => server.stop(true),
  }
}
