// The HTTP edge: auth, selection precedence, and every user mistake as a 4xx in the
// client's dialect.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'

let gw: TestGateway
beforeAll(async () => {
  gw = await startGateway({ MAX_REQUEST_BODY_BYTES: 4096 })
})
afterAll(() => gw.stop())

const chat = { model: 'm', messages: [{ role: 'user', content: 'hi' }] }
const send = (path: string, body: unknown, headers: Record<string, string> = {}) => post(gw, path, body, headers)

describe('auth', () => {
  test.each([
    ['/v1/chat/completions', { error: { type: 'authentication_error' } }],
    ['/v1/messages', { type: 'error', error: { type: 'authentication_error' } }],
    ['/v1beta/models/g:generateContent', { error: { code: 401, status: 'UNAUTHENTICATED' } }],
  ])('%s without a key → 401 in its dialect', async (path, shape) => {
    const res = await fetch(`${gw.url}${path}`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject(shape)
  })

  test('/health and /swagger need no key', async () => {
    const health = await fetch(`${gw.url}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'healthy', provider: 'local-echo' })
    expect((await fetch(`${gw.url}/swagger`)).status).toBe(200)
  })

  test('/pools needs the key and shows no secrets', async () => {
    expect((await fetch(`${gw.url}/pools`)).status).toBe(401)
    const res = await fetch(`${gw.url}/pools`, { headers: { 'x-api-key': gw.key } })
    expect(res.status).toBe(200)
    expect(await res.text()).not.toContain(gw.key)
  })

  test('CORS preflight', async () => {
    const res = await fetch(`${gw.url}/v1/chat/completions`, { method: 'OPTIONS' })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-headers')).toContain('x-api-key')
  })

  // What a browser sends before `openai.chat.completions.stream()` / `anthropic.messages.stream()`,
  // judged by the Fetch standard's CORS check: every requested header must be allowed.
  test.each([
    ['/v1/chat/completions', 'authorization,content-type,x-stainless-arch,x-stainless-helper-method,x-stainless-lang,x-stainless-retry-count'],
    ['/v1/messages', 'anthropic-dangerous-direct-browser-access,anthropic-version,content-type,x-api-key,x-stainless-helper-method,x-stainless-timeout'],
  ])('a browser preflight for %s with the SDK stream helper header passes', async (path, requested) => {
    const res = await fetch(`${gw.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': requested },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-allow-methods')?.split(/,\s*/)).toContain('POST')
    const allowed = new Set(
      res.headers
        .get('access-control-allow-headers')
        ?.toLowerCase()
        .split(/\s*,\s*/),
    )
    for (const header of requested.split(',')) expect(allowed.has(header)).toBe(true)
    expect(res.headers.get('vary')).toContain('Access-Control-Request-Headers')
  })
})

describe('provider selection', () => {
  test('path segment beats header beats default', async () => {
    const viaPath = await send('/local-echo/v1/chat/completions', chat, { 'model-provider': 'openai-custom' })
    expect(viaPath.headers.get('x-switchboard-provider')).toBe('local-echo')
    const viaHeader = await send('/v1/chat/completions', chat, { 'Model-Provider': ' OpenAI-Custom ' })
    expect(viaHeader.headers.get('x-switchboard-provider')).toBe('openai-custom')
  })

  test('unknown header → 400 naming the valid ids', async () => {
    const res = await send('/v1/chat/completions', chat, { 'model-provider': 'gpt-proxy' })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('openai-custom')
  })

  test('known but unconfigured → 503 saying what to set', async () => {
    const res = await send('/openai-custom/v1/chat/completions', chat)
    expect(res.status).toBe(503)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('OPENAI_API_KEY')
  })

  test('an unknown path segment is an unknown route', async () => {
    expect((await send('/nope/v1/chat/completions', chat)).status).toBe(404)
  })
})

describe('bad input', () => {
  test('invalid JSON → 400', async () => {
    const res = await send('/v1/chat/completions', '{"model":')
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('not valid JSON')
  })

  test('schema violation → 400 naming the field', async () => {
    const res = await send('/v1/messages', { model: 'm', messages: 'hello' })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { type: string; error: { type: string; message: string } }
    expect(body.type).toBe('error')
    expect(body.error.message).toContain('messages')
  })

  test('oversized body → 413 in the dialect', async () => {
    const res = await send('/v1beta/models/g:generateContent', { contents: [{ parts: [{ text: 'x'.repeat(8000) }] }] })
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ error: { code: 413, status: 'INVALID_ARGUMENT' } })
  })

  test('unknown route → 404', async () => {
    expect((await send('/v2/whatever', chat)).status).toBe(404)
    expect((await send('/v1beta/models/g:explode', { contents: [{ parts: [{ text: 'x' }] }] })).status).toBe(404)
  })
})

describe('error wording and shapes', () => {
  const message = async (res: Response) => {
    const body = (await res.json()) as { error: { message: string } }
    return body.error.message
  }

  test.each([
    ['/v1/chat/completions', { ...chat, max_tokens: 0 }, 'max_tokens must be an integer of at least 1 or null, got 0'],
    ['/v1/chat/completions', { ...chat, max_completion_tokens: -3 }, 'max_completion_tokens must be an integer of at least 1 or null, got -3'],
    ['/v1/messages', { ...chat, max_tokens: 0 }, 'max_tokens must be an integer of at least 1, got 0'],
    ['/v1/chat/completions', { ...chat, temperature: 'hot' }, 'temperature must be a number or null, got "hot"'],
  ])('%s with %j says the allowed range', async (path, body, expected) => {
    const res = await send(path, body)
    expect(res.status).toBe(400)
    expect(await message(res)).toBe(`invalid request: ${expected}`)
  })

  test('the "not configured" 503 says so once', async () => {
    const text = await message(await send('/openai-custom/v1/chat/completions', chat))
    expect(text).toBe('provider openai-custom is not configured: set OPENAI_API_KEY (--openai-api-key) and optionally OPENAI_BASE_URL')
  })

  test('an unknown route asked with Anthropic headers answers in Anthropic shape, with "Not Found"', async () => {
    const res = await fetch(`${gw.url}/v1/complete`, { method: 'POST', headers: { 'x-api-key': gw.key, 'anthropic-version': '2023-06-01' }, body: '{}' })
    expect(res.status).toBe(404)
    const body = (await res.json()) as { type: string; error: { type: string; message: string } }
    expect([body.type, body.error.type]).toEqual(['error', 'not_found_error'])
    expect(body.error.message).toContain('Not Found')
    const openai = await send('/v2/whatever', chat)
    expect(await message(openai)).toContain('Not Found')
  })

  test('401 messages say "Unauthorized", in the dialect the headers show', async () => {
    const missing = await fetch(`${gw.url}/v1/chat/completions`, { method: 'POST', body: '{}' })
    expect(await message(missing)).toStartWith('Unauthorized')
    const wrong = await fetch(`${gw.url}/v1/models`, { headers: { 'x-api-key': 'wrong-key', 'anthropic-version': '2023-06-01' } })
    const body = (await wrong.json()) as { type: string; error: { type: string; message: string } }
    expect([wrong.status, body.type, body.error.type]).toEqual([401, 'error', 'authentication_error'])
    expect(body.error.message).toStartWith('Unauthorized')
  })

  test.each(['/v1/chat/completions', '/v1/messages', '/v1beta/models/g:streamGenerateContent?alt=sse'])(
    'SSE from %s carries Connection: keep-alive and Cache-Control: no-cache',
    async (path) => {
      const body = path.includes('v1beta') ? { contents: [{ parts: [{ text: 'hi' }] }] } : { ...chat, max_tokens: 16, stream: true }
      const res = await send(path, body)
      await res.text()
      expect(res.headers.get('content-type')).toStartWith('text/event-stream')
      expect([res.headers.get('connection'), res.headers.get('cache-control')]).toEqual(['keep-alive', 'no-cache'])
    },
  )
})
