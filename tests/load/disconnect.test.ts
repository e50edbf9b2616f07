// Clients that hang up mid-stream: the gateway must cancel the upstream call, release the
// member's in-flight slot, keep serving, and not grow without bound.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'
import { inFlight, openaiStreamText, settledRss, startCancelWatchingUpstream, type CancelWatchingUpstream } from './helpers.ts'

const CLIENTS = 100
const RSS_GROWTH_BOUND = 50 * 1024 * 1024

let upstream: CancelWatchingUpstream
let gw: TestGateway
beforeAll(async () => {
  upstream = startCancelWatchingUpstream()
  gw = await startGateway({ MODEL_PROVIDER: 'openai-custom', OPENAI_API_KEY: 'sk-load-disconnect-0001', OPENAI_BASE_URL: upstream.url, REQUEST_MAX_RETRIES: 0 })
})
afterAll(async () => {
  await gw.stop()
  await upstream.stop()
})

/** Opens a stream, reads until the first content arrives, then aborts. */
async function hangUpAfterFirstChunk(path: string, body: Record<string, unknown>): Promise<void> {
  const controller = new AbortController()
  const res = await post(gw, path, { ...body, stream: true }, {}, controller.signal)
  expect(res.status).toBe(200)
  const reader = (res.body as ReadableStream<Uint8Array>).getReader()
  const first = await reader.read()
  expect(first.done).toBe(false)
  controller.abort()
  await reader.cancel().catch(() => {})
}

async function disconnectRound(path: string, body: Record<string, unknown>): Promise<void> {
  const cancelledBefore = upstream.cancelled
  await Promise.all(Array.from({ length: CLIENTS }, () => hangUpAfterFirstChunk(path, body)))
  await upstream.waitForCancelled(cancelledBefore + CLIENTS)
  expect(upstream.cancelled - cancelledBefore).toBe(CLIENTS)
  expect(inFlight(gw)).toBe(0)
}

const openaiBody = { model: 'm', messages: [{ role: 'user', content: 'hold on' }] }
const anthropicBody = { model: 'm', max_tokens: 16, messages: [{ role: 'user', content: 'hold on' }] }

describe(`${CLIENTS} clients disconnecting mid-stream`, () => {
  test('passthrough: every upstream stream is cancelled and in-flight returns to zero', async () => {
    await disconnectRound('/v1/chat/completions', openaiBody)
  })

  test('converted (Anthropic client): every upstream stream is cancelled and in-flight returns to zero', async () => {
    await disconnectRound('/v1/messages', anthropicBody)
  })

  test('the gateway keeps serving afterwards', async () => {
    const res = await post(gw, '/local-echo/v1/chat/completions', { ...openaiBody, stream: true })
    expect(res.status).toBe(200)
    expect(openaiStreamText(await res.text())).toBe('hold on')
    expect(upstream.started).toBe(2 * CLIENTS)
  })

  test(`repeated rounds grow resident memory by less than ${RSS_GROWTH_BOUND / 1024 / 1024} MB`, async () => {
    await disconnectRound('/v1/chat/completions', openaiBody)
    const before = settledRss()
    for (let round = 0; round < 5; round++) await disconnectRound(round % 2 ? '/v1/messages' : '/v1/chat/completions', round % 2 ? anthropicBody : openaiBody)
    const growth = settledRss() - before
    console.log(`rss growth after ${5 * CLIENTS} disconnects: ${(growth / 1024 / 1024).toFixed(1)} MB`)
    expect(growth).toBeLessThan(RSS_GROWTH_BOUND)
  })
})
