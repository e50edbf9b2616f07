// Every way an upstream can break, through the running gateway: each ends in the documented
// status (before the first byte) or the dialect's error event (after it), and nothing hangs.
// Stalls are gates, so the whole file runs in about a second. Only the tests about a timeout set
// a short one; the others get limits in seconds, since a loaded 2-core machine can take longer
// than a short limit just to build a 10 MiB answer or open the first connection.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { AppConfig } from '../../src/config/schema.ts'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { fillerText } from '../fakes/shared/text-pieces.ts'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'
import { inFlight, openaiStreamText, sseData } from './helpers.ts'

const UPSTREAM_KEY = 'sk-load-faults-0001'
const TIMEOUT_MS = 150
const ROOMY_MS = 20_000

let fake: FakeOpenAI
const gateways: TestGateway[] = []
/** Released after the file, so no gate outlives the tests. */
const forever = Promise.withResolvers<void>()

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: UPSTREAM_KEY })
})
afterAll(async () => {
  forever.resolve()
  for (const gw of gateways) await gw.stop()
  await fake.stop()
})

async function gateway(overrides: Partial<AppConfig> = {}): Promise<TestGateway> {
  const gw = await startGateway({
    MODEL_PROVIDER: 'openai-custom',
    OPENAI_API_KEY: UPSTREAM_KEY,
    OPENAI_BASE_URL: fake.url,
    REQUEST_MAX_RETRIES: 0,
    REQUEST_TIMEOUT_MS: ROOMY_MS,
    STREAM_IDLE_TIMEOUT_MS: ROOMY_MS,
    POOL_FAILURE_THRESHOLD: 1000,
    ...overrides,
  })
  gateways.push(gw)
  return gw
}

const openai = (stream: boolean) => ({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'fault please' }] })
const anthropic = (stream: boolean) => ({ model: 'gpt-4o-mini', max_tokens: 32, stream, messages: [{ role: 'user', content: 'fault please' }] })

/** The last SSE data payload, parsed (the error event ends a failed stream). */
function lastEvent(text: string): { error?: { type?: string; message?: string }; type?: string } {
  return JSON.parse(sseData(text).at(-1) ?? 'null') as { error?: { type?: string; message?: string }; type?: string }
}

describe('before the first byte', () => {
  test('a reset on every attempt → 502 after all failover attempts', async () => {
    const gw = await gateway({ REQUEST_MAX_RETRIES: 2 })
    const before = fake.journal.length
    fake.enqueue({ kind: 'reset' }, { kind: 'reset' }, { kind: 'reset' })
    const res = await post(gw, '/v1/chat/completions', openai(true))
    expect(res.status).toBe(502)
    expect(res.headers.get('x-switchboard-attempts')).toBe('3')
    expect(await res.json()).toMatchObject({ error: { type: 'server_error' } })
    expect(fake.journal.length - before).toBe(3)
    expect(inFlight(gw)).toBe(0)
  })

  test('a reset, then a good answer → the retry serves the client', async () => {
    const gw = await gateway({ REQUEST_MAX_RETRIES: 2 })
    fake.enqueue({ kind: 'reset' })
    const res = await post(gw, '/v1/chat/completions', openai(true))
    expect(res.status).toBe(200)
    expect(res.headers.get('x-switchboard-attempts')).toBe('2')
    expect(openaiStreamText(await res.text())).toBe('echo: fault please')
  })

  test('a reset with REQUEST_MAX_RETRIES 0 → 502 after one call, in each dialect', async () => {
    const gw = await gateway()
    fake.enqueue({ kind: 'reset' })
    const a = await post(gw, '/v1/chat/completions', openai(false))
    expect(a.status).toBe(502)
    expect(a.headers.get('x-switchboard-attempts')).toBe('1')
    fake.enqueue({ kind: 'reset' })
    const b = await post(gw, '/v1/messages', anthropic(false))
    expect(b.status).toBe(502)
    expect(await b.json()).toMatchObject({ type: 'error', error: { type: 'api_error' } })
  })

  test('no headers within REQUEST_TIMEOUT_MS → 504, and the upstream call is abandoned', async () => {
    const gw = await gateway({ REQUEST_TIMEOUT_MS: TIMEOUT_MS })
    fake.enqueue({ kind: 'gate', until: forever.promise, then: { kind: 'text' } })
    const started = performance.now()
    const res = await post(gw, '/v1/chat/completions', openai(true))
    expect(res.status).toBe(504)
    expect(await res.json()).toMatchObject({ error: { type: 'timeout' } })
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS + 2000)
    expect(inFlight(gw)).toBe(0)
  })
})

describe('after the first byte', () => {
  test('a clean cut mid-stream (passthrough) → OpenAI error event, no [DONE]', async () => {
    const gw = await gateway()
    fake.enqueue({ kind: 'cut-after', chunks: 2 })
    const res = await post(gw, '/v1/chat/completions', openai(true))
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).not.toContain('[DONE]')
    expect(lastEvent(text).error?.message).toContain('ended before it finished')
    expect(inFlight(gw)).toBe(0)
  })

  test('a connection reset mid-stream (passthrough) → OpenAI error event, no [DONE]', async () => {
    const gw = await gateway()
    // Paced, so the first frames reach the socket before the reset (else Bun drops them unsent).
    fake.enqueue({ kind: 'slow-chunks', gapMs: 5, then: { kind: 'reset-after', chunks: 2 } })
    const res = await post(gw, '/v1/chat/completions', openai(true))
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(openaiStreamText(text)).toStartWith('echo')
    expect(text).not.toContain('[DONE]')
    expect(lastEvent(text).error?.type).toBe('server_error')
  })

  test('a cut mid-stream (converted to Anthropic) → `event: error`, no message_stop', async () => {
    const gw = await gateway()
    fake.enqueue({ kind: 'cut-after', chunks: 2 })
    const text = await (await post(gw, '/v1/messages', anthropic(true))).text()
    expect(text).not.toContain('message_stop')
    expect(text).toContain('event: error')
    expect(lastEvent(text)).toMatchObject({ type: 'error', error: { type: 'api_error' } })
  })

  test('silence mid-stream past STREAM_IDLE_TIMEOUT_MS (passthrough) → timeout error event', async () => {
    const gw = await gateway({ STREAM_IDLE_TIMEOUT_MS: TIMEOUT_MS })
    fake.enqueue({ kind: 'stall-after', chunks: 1, until: forever.promise })
    const text = await (await post(gw, '/v1/chat/completions', openai(true))).text()
    expect(text).not.toContain('[DONE]')
    expect(lastEvent(text).error?.type).toBe('timeout')
    expect(inFlight(gw)).toBe(0)
  })

  test('silence mid-stream past STREAM_IDLE_TIMEOUT_MS (converted to Anthropic) → timeout_error event', async () => {
    const gw = await gateway({ STREAM_IDLE_TIMEOUT_MS: TIMEOUT_MS })
    fake.enqueue({ kind: 'stall-after', chunks: 1, until: forever.promise })
    const text = await (await post(gw, '/v1/messages', anthropic(true))).text()
    expect(lastEvent(text)).toMatchObject({ type: 'error', error: { type: 'timeout_error' } })
  })

  test('silence mid-body of a non-stream answer → 504', async () => {
    const gw = await gateway({ STREAM_IDLE_TIMEOUT_MS: TIMEOUT_MS })
    fake.enqueue({ kind: 'stall-after', chunks: 0, until: forever.promise })
    const res = await post(gw, '/v1/messages', anthropic(false))
    expect(res.status).toBe(504)
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'timeout_error' } })
  })
})

describe('garbage bytes with a 200', () => {
  test('converted non-stream → 502 in the client dialect', async () => {
    const gw = await gateway()
    fake.enqueue({ kind: 'garbage' })
    const res = await post(gw, '/v1/messages', anthropic(false))
    expect(res.status).toBe(502)
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'api_error' } })
  })

  test('converted stream → 502 before any byte (no event could be decoded, so it can still fail over)', async () => {
    const gw = await gateway()
    fake.enqueue({ kind: 'garbage' })
    const res = await post(gw, '/v1/messages', anthropic(true))
    expect(res.status).toBe(502)
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'api_error' } })
  })

  test('passthrough stream → 502 before any byte: what is not SSE is judged before the answer starts', async () => {
    const gw = await gateway()
    fake.enqueue({ kind: 'garbage' })
    const res = await post(gw, '/v1/chat/completions', openai(true))
    expect(res.status).toBe(502)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('did not send server-sent events')
  })

  test('passthrough stream → garbage on one attempt fails over, the client gets the next one whole', async () => {
    const gw = await gateway({ REQUEST_MAX_RETRIES: 1 })
    fake.enqueue({ kind: 'garbage' })
    const res = await post(gw, '/v1/chat/completions', openai(true))
    expect(res.status).toBe(200)
    expect(res.headers.get('x-switchboard-attempts')).toBe('2')
    const text = await res.text()
    expect(text).not.toContain('upstream hiccup')
    expect(openaiStreamText(text)).toBe('echo: fault please')
  })

  // Passthrough does not parse the body, but an answer that is not even a JSON object is
  // caught before anything is sent, so it is a 502 (and could fail over).
  test('passthrough non-stream → 502 in the client dialect', async () => {
    const gw = await gateway()
    fake.enqueue({ kind: 'garbage' })
    const res = await post(gw, '/v1/chat/completions', openai(false))
    expect(res.status).toBe(502)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('not a JSON object')
  })
})

describe('a 10 MB answer', () => {
  const BYTES = 10 * 1024 * 1024
  const expected = `${fillerText(BYTES)}`

  test('passthrough stream → delivered intact', async () => {
    const gw = await gateway()
    fake.enqueue({ kind: 'huge', bytes: BYTES })
    const text = await (await post(gw, '/v1/chat/completions', openai(true))).text()
    expect(sseData(text).at(-1)).toBe('[DONE]')
    expect(openaiStreamText(text) === expected).toBe(true)
  })

  test('passthrough non-stream → delivered intact', async () => {
    const gw = await gateway()
    fake.enqueue({ kind: 'huge', bytes: BYTES })
    const body = (await (await post(gw, '/v1/chat/completions', openai(false))).json()) as { choices: { message: { content: string } }[] }
    expect(body.choices[0]?.message.content === expected).toBe(true)
  })

  test('converted to Anthropic, stream and non-stream → delivered intact', async () => {
    const gw = await gateway()
    fake.enqueue({ kind: 'huge', bytes: BYTES }, { kind: 'huge', bytes: BYTES })
    const whole = (await (await post(gw, '/v1/messages', anthropic(false))).json()) as { content: { text: string }[] }
    expect(whole.content[0]?.text === expected).toBe(true)
    const text = await (await post(gw, '/v1/messages', anthropic(true))).text()
    let streamed = ''
    for (const data of sseData(text)) {
      const event = JSON.parse(data) as { delta?: { type: string; text?: string } }
      if (event.delta?.type === 'text_delta') streamed += event.delta.text ?? ''
    }
    expect(streamed.length).toBe(expected.length)
    expect(streamed === expected).toBe(true)
    expect(inFlight(gw)).toBe(0)
  })
})
