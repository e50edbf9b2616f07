// An upstream that echoes the key it was sent (as OpenAI's 401 does) in error bodies,
// response headers and mid-stream errors: no configured secret, whatever its length, and
// no server path reaches the client.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { registerSensitive } from '../../src/config/sensitive.ts'
import { createLogger } from '../../src/log.ts'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'
import { tempDir } from '../helpers/temp-dir.ts'

/** Shorter than any length threshold: redaction must not depend on length. */
const SHORT_KEY = 'k5x'
const PROXY_PASSWORD = 'pw-s3cret-9'

/** An OpenAI-compatible upstream that quotes the caller's key back, by model name. */
function startEchoingUpstream() {
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const key = (request.headers.get('authorization') ?? '').replace(/^Bearer /, '')
      const body = (await request.json()) as { model: string; stream?: boolean }
      const json = (status: number, payload: unknown, headers: Record<string, string> = {}) =>
        Response.json(payload, { status, headers: { 'x-request-id': 'req_1', ...headers } })
      if (body.model === 'echo-401') {
        const message = `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`
        return json(401, { error: { message, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } })
      }
      if (body.model === 'echo-stream') {
        const frames = [
          `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: 'hi' }, finish_reason: null }] })}\n\n`,
          `data: ${JSON.stringify({ error: { message: `key ${key} was revoked mid-stream`, type: 'server_error', param: null, code: null } })}\n\n`,
        ]
        return new Response(frames.join(''), { headers: { 'content-type': 'text/event-stream' } })
      }
      const answer = {
        id: 'c1',
        object: 'chat.completion',
        created: 1,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
      }
      return json(200, answer, { 'x-debug-key': `Bearer ${key}`, 'x-plain': 'kept' })
    },
  })
  return { url: `http://127.0.0.1:${server.port}/v1`, stop: () => server.stop(true) }
}

let upstream: ReturnType<typeof startEchoingUpstream>
let gw: TestGateway
let kiroDir: string
beforeAll(async () => {
  upstream = startEchoingUpstream()
  kiroDir = tempDir('sb-secret-dir-')
  const kiroFile = join(kiroDir, 'kiro-auth-token.json')
  // Not JSON: a parser's message would quote the token next to the error.
  writeFileSync(kiroFile, '{"accessToken": "aoa-token-in-a-broken-file" oops}')
  gw = await startGateway({
    MODEL_PROVIDER: 'openai-custom',
    OPENAI_API_KEY: SHORT_KEY,
    OPENAI_BASE_URL: upstream.url,
    KIRO_OAUTH_CREDS_FILE_PATH: kiroFile,
    REQUEST_MAX_RETRIES: 0,
  })
})
afterAll(async () => {
  await gw.stop()
  upstream.stop()
})

const chat = (model: string, stream = false) => ({ model, stream, messages: [{ role: 'user', content: 'hi' }] })

describe('secrets echoed by an upstream', () => {
  test('a 401 quoting the key: the client gets the error without the key', async () => {
    const res = await post(gw, '/v1/chat/completions', chat('echo-401'))
    const text = await res.text()
    expect(res.status).toBe(401)
    expect(text).toContain('Incorrect API key provided: [redacted]')
    expect(text).not.toContain(SHORT_KEY)
  })

  test('the same through another dialect (converted, not passed through)', async () => {
    const res = await post(gw, '/v1/messages', { ...chat('echo-401'), max_tokens: 8 })
    expect(res.status).toBe(401)
    expect(await res.text()).not.toContain(SHORT_KEY)
  })

  test('a mid-stream error quoting the key ends a converted stream without it', async () => {
    const res = await post(gw, '/v1/messages', { ...chat('echo-stream', true), max_tokens: 8 })
    const text = await res.text()
    expect(text).toContain('event: error')
    expect(text).toContain('key [redacted] was revoked')
    expect(text).not.toContain(SHORT_KEY)
  })

  test('a same-dialect stream passes the upstream’s own error event on, without the key', async () => {
    const res = await post(gw, '/v1/chat/completions', chat('echo-stream', true))
    const text = await res.text()
    expect(text).toContain('"content":"hi"')
    expect(text).toContain('key [redacted] was revoked')
    expect(text).not.toContain(SHORT_KEY)
  })

  test('upstream response headers carrying the key are not forwarded; the others are', async () => {
    const res = await post(gw, '/v1/chat/completions', chat('ok'))
    expect(res.status).toBe(200)
    expect(res.headers.get('x-debug-key')).toBeNull()
    expect(res.headers.get('x-plain')).toBe('kept')
    await res.text()
  })

  test('/pools shows the last error without the key', async () => {
    const pools = await (await fetch(`${gw.url}/pools`, { headers: { 'x-api-key': gw.key } })).text()
    expect(pools).toContain('[redacted]')
    expect(pools).not.toContain(SHORT_KEY)
  })
})

describe('credential files and server paths', () => {
  test('a corrupt credential file: the 503 names the file but neither its folder nor its content', async () => {
    const res = await post(gw, '/claude-kiro-oauth/v1/messages', { ...chat('claude-sonnet-4-5'), max_tokens: 8 })
    const text = await res.text()
    expect(res.status).toBe(503)
    expect(text).toContain('kiro-auth-token.json')
    expect(text).not.toContain(kiroDir)
    expect(text).not.toContain('aoa-token')
    expect(gw.logs.join('\n')).not.toContain('aoa-token')
  })
})

describe('registerSensitive', () => {
  test('masks secret keys of any length, URL passwords (plain and encoded) and cuts paths to their name', () => {
    const log = createLogger({ write: () => {} })
    registerSensitive(log, {
      OPENAI_API_KEY: 'ab',
      PROXY_URL: `http://proxyuser:${encodeURIComponent(`${PROXY_PASSWORD}@x`)}@127.0.0.1:8080`,
      GEMINI_OAUTH_CREDS_FILE_PATH: '/home/someone/.gemini/oauth_creds.json',
    })
    const text = `ab ${PROXY_PASSWORD}@x ${encodeURIComponent(`${PROXY_PASSWORD}@x`)} /home/someone/.gemini/oauth_creds.json proxyuser`
    expect(log.forClient(text)).toBe('[redacted] [redacted] [redacted] oauth_creds.json proxyuser')
    // Logs keep the path; secrets are masked there too.
    expect(log.redact(text)).toBe('[redacted] [redacted] [redacted] /home/someone/.gemini/oauth_creds.json proxyuser')
  })
})
