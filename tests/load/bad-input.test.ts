// Malformed requests of every kind, per client dialect: each gets a 4xx in that dialect's
// error shape, and the gateway keeps serving valid requests afterwards.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { Dialect } from '../../src/dialects/types.ts'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'
import { openaiStreamText, rawRequest } from './helpers.ts'

const MAX_BODY = 256 * 1024

let gw: TestGateway
beforeAll(async () => {
  gw = await startGateway({ MAX_REQUEST_BODY_BYTES: MAX_BODY })
})
afterAll(() => gw.stop())

const ROUTES: Record<Dialect, string> = {
  openai: '/v1/chat/completions',
  anthropic: '/v1/messages',
  gemini: '/v1beta/models/gemini-2.5-flash:generateContent',
  responses: '/v1/responses',
}

/** A valid body of each dialect with `content` as the user's message content. */
const VALID: Record<Dialect, (content: unknown) => Record<string, unknown>> = {
  openai: (content) => ({ model: 'm', messages: [{ role: 'user', content }] }),
  anthropic: (content) => ({ model: 'm', max_tokens: 16, messages: [{ role: 'user', content }] }),
  gemini: (content) => ({ contents: [{ role: 'user', parts: [{ text: content }] }] }),
  responses: (content) => ({ model: 'm', input: [{ role: 'user', content }] }),
}

/** Arrays nested `depth` deep, built as text (JSON.stringify would recurse). */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`

/** Each case: a body (object or raw text/bytes), and optional headers. */
interface BadCase {
  name: string
  body: (dialect: Dialect) => unknown
  headers?: Record<string, string>
  status: number
}

const CASES: BadCase[] = [
  { name: 'invalid JSON', body: () => '{"model": ', status: 400 },
  { name: 'empty body', body: () => '', status: 400 },
  { name: 'JSON array instead of an object', body: () => '[]', status: 400 },
  { name: 'JSON null', body: () => 'null', status: 400 },
  { name: 'JSON string', body: () => '"hello"', status: 400 },
  {
    name: 'messages is a string (Responses: input is a number)',
    body: (d) => (d === 'gemini' ? { contents: 'hello' } : d === 'responses' ? { model: 'm', input: 42 } : { ...VALID[d]('x'), messages: 'hello' }),
    status: 400,
  },
  { name: 'missing messages/contents', body: (d) => (d === 'gemini' ? {} : { model: 'm', max_tokens: 16 }), status: 400 },
  // Gemini carries model and stream in the URL; its body gets equally wrong types instead.
  {
    name: 'model (Gemini: parts) has the wrong type',
    body: (d) => (d === 'gemini' ? { contents: [{ role: 'user', parts: 'x' }] } : { ...VALID[d]('x'), model: 42 }),
    status: 400,
  },
  { name: 'content is a number', body: (d) => VALID[d](12345), status: 400 },
  {
    name: 'role is unknown',
    body: (d) =>
      d === 'gemini'
        ? { contents: [{ role: 'wizard', parts: [{ text: 'x' }] }] }
        : d === 'responses'
          ? { model: 'm', input: [{ role: 'wizard', content: 'x' }] }
          : { ...VALID[d]('x'), messages: [{ role: 'wizard', content: 'x' }] },
    status: 400,
  },
  {
    name: 'stream (Gemini: tools) has the wrong type',
    body: (d) => (d === 'gemini' ? { ...VALID[d]('x'), tools: 'none' } : { ...VALID[d]('x'), stream: 'yes' }),
    status: 400,
  },
  {
    name: 'max tokens negative',
    body: (d) =>
      d === 'gemini'
        ? { ...VALID[d]('x'), generationConfig: { maxOutputTokens: -5 } }
        : { ...VALID[d]('x'), [d === 'responses' ? 'max_output_tokens' : 'max_tokens']: -5 },
    status: 400,
  },
  { name: '10k nested arrays as content', body: (d) => JSON.stringify(VALID[d]('__NEST__')).replace('"__NEST__"', nested(10_000)), status: 400 },
  { name: '10k nested arrays at the top', body: () => nested(10_000), status: 400 },
  {
    name: 'non-UTF-8 bytes',
    body: (d) =>
      new Uint8Array([
        ...new TextEncoder().encode(JSON.stringify(VALID[d]('__X__')).split('__X__')[0] ?? ''),
        0xff,
        0xfe,
        0xc3,
        0x28,
        ...new TextEncoder().encode('"}]}'),
      ]),
    status: 400,
  },
  {
    name: 'huge array of junk messages',
    body: (d) =>
      d === 'gemini'
        ? { contents: Array.from({ length: 30_000 }, () => 1) }
        : d === 'responses'
          ? { model: 'm', input: Array.from({ length: 30_000 }, () => 1) }
          : { ...VALID[d]('x'), messages: Array.from({ length: 30_000 }, () => 1) },
    status: 400,
  },
  { name: 'oversized body', body: (d) => VALID[d]('x'.repeat(MAX_BODY)), status: 413 },
  { name: 'Content-Type text/plain with junk', body: () => 'hello there', headers: { 'content-type': 'text/plain' }, status: 400 },
]

/** Asserts the dialect's error shape and returns the message. */
function expectErrorShape(dialect: Dialect, status: number, body: unknown): string {
  switch (dialect) {
    case 'openai':
    case 'responses': {
      const error = (body as { error: { message: unknown; type: unknown } }).error
      expect(typeof error.message).toBe('string')
      expect(typeof error.type).toBe('string')
      return error.message as string
    }
    case 'anthropic': {
      const shaped = body as { type: unknown; error: { type: unknown; message: unknown } }
      expect(shaped.type).toBe('error')
      expect(typeof shaped.error.type).toBe('string')
      expect(typeof shaped.error.message).toBe('string')
      return shaped.error.message as string
    }
    case 'gemini': {
      const error = (body as { error: { code: unknown; message: unknown; status: unknown } }).error
      expect(error.code).toBe(status)
      expect(typeof error.status).toBe('string')
      expect(typeof error.message).toBe('string')
      return error.message as string
    }
  }
}

const DIALECTS: Dialect[] = ['openai', 'anthropic', 'gemini', 'responses']

describe.each(DIALECTS)('%s client', (dialect) => {
  test.each(CASES)('$name → $status in the dialect shape', async ({ body, headers, status }) => {
    const res = await post(gw, ROUTES[dialect], body(dialect) as string, headers)
    const text = await res.text()
    expect({ status: res.status, text: text.slice(0, 200) }).toMatchObject({ status })
    const message = expectErrorShape(dialect, status, JSON.parse(text))
    expect(message.length).toBeGreaterThan(0)
    expect(message.length).toBeLessThan(2000)
  })

  test('the gateway still answers a valid request', async () => {
    const res = await post(gw, ROUTES[dialect], VALID[dialect]('still alive'))
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('still alive')
  })
})

// Regression: Elysia's default body normalisation used to drop a mistyped optional field
// silently (200 without the setting) instead of rejecting it.
test('gemini: generationConfig of the wrong type → 400, not silently dropped', async () => {
  const res = await post(gw, ROUTES.gemini, { ...VALID.gemini('x'), generationConfig: 'hot' })
  expect(res.status).toBe(400)
})

// Regression: schema validation of pathological nesting used to take seconds and, at 20k
// levels (a 40 KB body), answer 500 "Out of memory"; the body reader now refuses it first.
test('20k nested arrays (a 40 KB body) → 400 naming the depth limit', async () => {
  const res = await post(gw, ROUTES.openai, nested(20_000))
  expect(res.status).toBe(400)
  expect(await res.text()).toContain('nests deeper than')
})

describe('raw paths and headers (sent over TCP, unnormalised)', () => {
  const auth = () => `authorization: Bearer ${gw.key}`

  // Bun resolves dot segments (RFC 3986) before routing, so `..` lands on the resolved
  // route: the key is still required there, and nothing answers with a 5xx.
  test.each([
    ['GET //v1/models', 404],
    ['GET /openai-custom/../v1/models', 200],
    ['GET /v1/../v1/models', 200],
    ['GET /%2e%2e/v1/models', 404],
    ['GET /v1/models/../../pools', 200],
    ['GET /v1/models/%2e%2e/%2e%2e/pools', 200],
    ['GET /../../etc/passwd', 404],
    ['POST /v1/chat/completions/../messages', 404],
  ])('%s → 401 without the key, %d with it', async (line, status) => {
    const anonymous = await rawRequest(gw, `${line} HTTP/1.1`)
    expect(anonymous.status).toBe(401)
    expect(JSON.parse(anonymous.text)).toMatchObject({ error: { type: 'authentication_error' } })
    const keyed = await rawRequest(gw, `${line} HTTP/1.1\r\n${auth()}`)
    expect(keyed.status).toBe(status)
    const body = JSON.parse(keyed.text) as Record<string, unknown>
    if (status === 404) expect(body).toMatchObject({ error: { type: 'not_found_error' } })
  })

  test('AUTHORIZATION in upper case is still the key', async () => {
    const body = JSON.stringify(VALID.openai('shouting'))
    const reply = await rawRequest(gw, `POST /v1/chat/completions HTTP/1.1\r\nAUTHORIZATION: Bearer ${gw.key}\r\nCONTENT-TYPE: application/json`, body)
    expect(reply.status).toBe(200)
    expect(reply.text).toContain('shouting')
  })

  test('a valid JSON body sent as Content-Type: text/plain is still accepted', async () => {
    const res = await post(gw, ROUTES.openai, JSON.stringify(VALID.openai('plain text type')), { 'content-type': 'text/plain' })
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('plain text type')
  })

  test('the gateway keeps serving streams after all of it', async () => {
    const res = await post(gw, ROUTES.openai, { ...VALID.openai('after the storm'), stream: true })
    expect(openaiStreamText(await res.text())).toBe('after the storm')
  })
})
