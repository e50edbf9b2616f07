import { afterEach, describe, expect, test } from 'bun:test'
import { decodeSse } from '../../../src/upstream/sse.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import type { UpstreamReply } from '../../../src/providers/types.ts'
import { bareRateLimit, dailyQuotaFailure, perMinuteQuotaFailure, quotaExhausted, rateLimited, serverError } from '../../fakes/google/errors.ts'
import { collect } from '../../helpers/chunks.ts'
import { geminiCall, HELLO, startGeminiHarness, type GeminiHarness } from './harness.ts'

let harness: GeminiHarness | undefined
afterEach(() => harness?.fake.stop())

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  )

function responseOf(reply: UpstreamReply): Response {
  if (reply.kind !== 'http') throw new Error('expected an http reply')
  expect(reply.dialect).toBe('gemini')
  return reply.response
}

interface ByteReader {
  read(): Promise<{ done: true; value?: undefined } | { done: false; value: Uint8Array }>
}

/** Reads the body until one whole SSE frame (ending in a blank line) has arrived. */
async function readFirstFrame(reader: ByteReader): Promise<string> {
  const decoder = new TextDecoder()
  let text = ''
  while (!text.includes('\n\n')) {
    const chunk = await reader.read()
    if (chunk.done) break
    text += decoder.decode(chunk.value, { stream: true })
  }
  return text
}

function bodyReader(response: Response): ByteReader {
  if (!response.body) throw new Error('expected a body')
  return response.body.getReader()
}

describe('gemini-cli-oauth chat', () => {
  test('generateContent: the request goes in the Code Assist envelope and the answer comes back plain', async () => {
    harness = startGeminiHarness()
    const body = { ...HELLO, generationConfig: { temperature: 0 } }
    const response = responseOf(await harness.client.chat(geminiCall(body, { model: 'gemini-2.5-pro' })))
    const [call] = harness.fake.calls('generateContent')
    expect(call?.json).toEqual({ model: 'gemini-2.5-pro', project: 'fake-proj-1', request: body })
    expect(call?.headers.get('user-agent')).toStartWith('GeminiCLI/0.31.0/gemini-2.5-pro (')
    expect(call?.headers.get('x-goog-api-client')).toBe('google-genai-sdk/1.41.0 gl-node/v22.19.0')
    expect(call?.headers.get('content-type')).toBe('application/json')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      candidates: [{ content: { role: 'model', parts: [{ text: 'echo: hello there world' }] }, finishReason: 'STOP', index: 0 }],
      usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 7 },
      modelVersion: 'gemini-2.5-pro',
      responseId: 'trace-1',
    })
  })

  test("the client's raw bytes are carried inside the envelope unchanged", async () => {
    harness = startGeminiHarness()
    const raw = '{"contents":[{"role":"user","parts":[{"text":"caf\\u00e9 ok"}]}]}'
    await harness.client.chat(geminiCall(JSON.parse(raw) as Record<string, unknown>, { raw }))
    expect(harness.fake.calls('generateContent')[0]?.body).toBe(`{"model":"gemini-2.5-flash","project":"fake-proj-1","request":${raw}}`)
  })

  test('streamGenerateContent: alt=sse, and each event reaches the client unwrapped before the upstream sends the next', async () => {
    harness = startGeminiHarness()
    const gate = Promise.withResolvers<void>()
    harness.fake.script('streamGenerateContent', { holdAfterFirst: gate.promise })
    const response = responseOf(await harness.client.chat(geminiCall(HELLO, { stream: true })))
    const [call] = harness.fake.calls('streamGenerateContent')
    expect(call?.query.get('alt')).toBe('sse')
    expect(call?.headers.get('accept')).toBe('text/event-stream')
    expect(response.headers.get('content-type')).toStartWith('text/event-stream')
    const reader = bodyReader(response)
    // The fake holds every later event until the gate opens: this frame proves there is no buffering.
    const first = await readFirstFrame(reader)
    expect(first).toBe(
      `data: ${JSON.stringify({ candidates: [{ content: { role: 'model', parts: [{ text: 'echo:' }] }, index: 0 }], modelVersion: 'gemini-2.5-flash', responseId: 'trace-1' })}\n\n`,
    )
    gate.resolve()
    const rest: Uint8Array[] = []
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest.push(chunk.value)
    const events = await collect(
      decodeSse(
        (async function* () {
          yield* rest
        })(),
      ),
    )
    const parsed = events.map(
      (event) =>
        JSON.parse(event.data) as {
          response?: unknown
          candidates: Array<{ content: { parts: Array<{ text: string }> }; finishReason?: string }>
          usageMetadata?: unknown
        },
    )
    expect(parsed.every((event) => event.response === undefined)).toBe(true)
    expect(['echo:', ...parsed.map((event) => event.candidates[0]?.content.parts[0]?.text)].join('')).toBe('echo: hello there world')
    expect(parsed.at(-1)?.candidates[0]?.finishReason).toBe('STOP')
    expect(parsed.at(-1)?.usageMetadata).toEqual({ promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 7 })
  }, 5000)

  test('a stream cut mid-way delivers what arrived, then fails with a 502 GatewayError', async () => {
    harness = startGeminiHarness()
    // The cut waits until the first event is read, so the headers and that event are on the wire.
    const firstRead = Promise.withResolvers<void>()
    harness.fake.script('streamGenerateContent', { cutAfterEvents: 1, cutWhen: firstRead.promise })
    const response = responseOf(await harness.client.chat(geminiCall(HELLO, { stream: true })))
    const reader = bodyReader(response)
    expect(await readFirstFrame(reader)).toContain('"text":"echo:"')
    firstRead.resolve()
    const error = await failure(reader.read())
    expect(error).toBeInstanceOf(GatewayError)
    expect(error).toMatchObject({ status: 502, kind: 'bad_gateway', scope: 'member' })
  })

  test('an unknown model is a clear request-scoped 404, never swapped for another model', async () => {
    harness = startGeminiHarness()
    const error = await failure(harness.client.chat(geminiCall(HELLO, { model: 'gemini-9-ultra' })))
    expect(error).toBeInstanceOf(GatewayError)
    expect(error).toMatchObject({ status: 404, kind: 'not_found', scope: 'request' })
    expect((error as Error).message).toContain('"gemini-9-ultra"')
    expect(harness.fake.calls('generateContent').map((entry) => (entry.json as { model: string }).model)).toEqual(['gemini-9-ultra'])
  })

  describe('429 and 5xx classification', () => {
    const cases = [
      { name: 'RATE_LIMIT_EXCEEDED with RetryInfo → rate_limited for the retry delay', reply: rateLimited('1.5s'), kind: 'rate_limited', retryAfterMs: 1500 },
      // The harness clock is 2026-01-15 20:00 UTC = 12:00 in Los Angeles (PST): 12 h to midnight.
      {
        name: 'QUOTA_EXHAUSTED without a delay → quota_exhausted until midnight Pacific',
        reply: quotaExhausted(),
        kind: 'quota_exhausted',
        retryAfterMs: 12 * 3_600_000,
      },
      {
        name: 'QUOTA_EXHAUSTED with a RetryInfo delay → quota_exhausted for that delay',
        reply: quotaExhausted('3600s'),
        kind: 'quota_exhausted',
        retryAfterMs: 3_600_000,
      },
      {
        name: 'a PerDay QuotaFailure → quota_exhausted until midnight Pacific',
        reply: dailyQuotaFailure(),
        kind: 'quota_exhausted',
        retryAfterMs: 12 * 3_600_000,
      },
      {
        name: 'a PerMinute QuotaFailure without a hint → rate_limited for a minute, not a spent quota',
        reply: perMinuteQuotaFailure(),
        kind: 'rate_limited',
        retryAfterMs: 60_000,
      },
      { name: 'a bare 429 → rate_limited with no hint', reply: bareRateLimit(), kind: 'rate_limited', retryAfterMs: undefined },
    ]
    for (const { name, reply, kind, retryAfterMs } of cases) {
      test(name, async () => {
        harness = startGeminiHarness()
        harness.fake.script('generateContent', reply)
        const error = await failure(harness.client.chat(geminiCall(HELLO)))
        expect(error).toBeInstanceOf(GatewayError)
        expect(error).toMatchObject({ status: 429, kind, scope: 'member', upstreamStatus: 429 })
        expect((error as GatewayError).retryAfterMs).toBe(retryAfterMs)
      })
    }

    test('a 500 is a member-scoped upstream error', async () => {
      harness = startGeminiHarness()
      harness.fake.script('streamGenerateContent', serverError())
      const error = await failure(harness.client.chat(geminiCall(HELLO, { stream: true })))
      expect(error).toMatchObject({ status: 500, kind: 'upstream_error', scope: 'member' })
      expect((error as Error).message).toContain('Internal error encountered.')
    })
  })
})
