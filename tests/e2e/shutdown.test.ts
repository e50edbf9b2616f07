// Graceful shutdown of the real CLI process: on SIGTERM it keeps listening while it drains
// (/health 503 "draining", new work 503), lets running streams finish within
// SHUTDOWN_TIMEOUT_MS, ends the rest with the dialect's error event, and exits 0.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { runCli } from '../helpers/cli.ts'
import { sseData } from '../load/helpers.ts'

const KEY = 'shutdown-test-key-0123456789'
const FIRST = 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hel"}}]}\n\n'
const REST =
  'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'

/** An upstream whose streams send one chunk, then wait for `release()` before finishing. */
function startStallingUpstream() {
  let gate = Promise.withResolvers<void>()
  let opened = Promise.withResolvers<void>()
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: () =>
      new Response(
        new ReadableStream({
          async start(controller) {
            const held = gate.promise
            controller.enqueue(new TextEncoder().encode(FIRST))
            opened.resolve()
            await held
            try {
              controller.enqueue(new TextEncoder().encode(REST))
              controller.close()
            } catch {
              // The gateway went away first.
            }
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      ),
  })
  return {
    url: `http://127.0.0.1:${server.port}/v1`,
    release: () => gate.resolve(),
    /** Resolves when a stream has sent its first chunk. */
    opened: () => opened.promise,
    /** A new gate and a new first-chunk signal, for the next stream. */
    reset: () => {
      gate = Promise.withResolvers<void>()
      opened = Promise.withResolvers<void>()
    },
    stop: () => server.stop(true),
  }
}

let upstream: ReturnType<typeof startStallingUpstream>
beforeAll(() => {
  upstream = startStallingUpstream()
})
afterAll(() => {
  upstream.release()
  upstream.stop()
})

async function startCli(shutdownMs: number) {
  const run = await runCli([
    '--port',
    '0',
    '--api-key',
    KEY,
    '--model-provider',
    'openai-custom',
    '--openai-base-url',
    upstream.url,
    '--openai-api-key',
    'sk-up-0001',
    '--shutdown-timeout-ms',
    String(shutdownMs),
  ])
  if (run.exited) throw new Error(`the gateway exited: ${run.stderr}`)
  return run
}

const chat = (port: number) =>
  fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  })

describe('SIGTERM', () => {
  test('drains: /health 503 "draining", new work 503, the running stream finishes whole, exit 0', async () => {
    upstream.reset()
    const run = await startCli(60_000)
    const streaming = await chat(run.port)
    expect(streaming.status).toBe(200)
    await upstream.opened()
    run.terminate()
    // Draining starts at the signal; wait for it by asking, not by sleeping.
    let health = await fetch(`http://127.0.0.1:${run.port}/health`)
    while (health.status === 200) health = await fetch(`http://127.0.0.1:${run.port}/health`)
    expect(health.status).toBe(503)
    expect(((await health.json()) as { status: string }).status).toBe('draining')
    const refused = await chat(run.port)
    expect(refused.status).toBe(503)
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('shutting down')
    upstream.release()
    const text = await streaming.text()
    expect(sseData(text).at(-1)).toBe('[DONE]')
    expect(await run.exit).toBe(0)
  }, 30_000)

  test('a stream still running after SHUTDOWN_TIMEOUT_MS ends with the error event, then exit 0', async () => {
    upstream.reset()
    const run = await startCli(300)
    const streaming = await chat(run.port)
    await upstream.opened()
    run.terminate()
    const text = await streaming.text()
    expect(text).not.toContain('[DONE]')
    const last = JSON.parse(sseData(text).at(-1) ?? 'null') as { error?: { message?: string } }
    expect(last.error?.message).toContain('shutting down')
    expect(await run.exit).toBe(0)
  }, 30_000)
})
