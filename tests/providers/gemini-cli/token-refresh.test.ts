import { afterEach, describe, expect, test } from 'bun:test'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { createLogger } from '../../../src/log.ts'
import { geminiCliProvider } from '../../../src/providers/gemini-cli/index.ts'
import { defaultConfig, geminiCall, HELLO, HOUR, NOW, startGeminiHarness, type GeminiHarness } from './harness.ts'

let harness: GeminiHarness | undefined
afterEach(() => harness?.fake.stop())

const readCreds = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
const bearers = (h: GeminiHarness) => h.fake.calls('generateContent').map((entry) => entry.headers.get('authorization'))

describe('gemini-cli-oauth token refresh', () => {
  test('an expired token is refreshed before the call, and the file is rewritten 0600 with the refresh token kept', async () => {
    harness = startGeminiHarness({ expiresInMs: -1000 })
    const reply = await harness.client.chat(geminiCall(HELLO))
    expect(reply.kind).toBe('http')
    expect(harness.fake.authority.refreshCalls).toBe(1)
    const refresh = harness.fake.journal.find((entry) => entry.origin === 'google-oauth')
    expect(refresh?.form?.get('grant_type')).toBe('refresh_token')
    expect(refresh?.form?.get('refresh_token')).toBe(harness.refreshToken)
    expect(refresh?.form?.get('client_id')).toBe('681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com')
    const creds = readCreds(harness.credsPath)
    expect(creds.access_token).not.toBe(harness.accessToken)
    expect(bearers(harness)).toEqual([`Bearer ${creds.access_token}`])
    expect(creds.refresh_token).toBe(harness.refreshToken)
    expect(creds.expiry_date).toBe(NOW + 3599 * 1000)
    expect(creds.scope).toContain('cloud-platform')
    expect(statSync(harness.credsPath).mode & 0o777).toBe(0o600)
  })

  test('a token within five minutes of expiry is refreshed proactively', async () => {
    harness = startGeminiHarness({ expiresInMs: 4 * 60_000 })
    await harness.client.chat(geminiCall(HELLO))
    expect(harness.fake.authority.refreshCalls).toBe(1)
  })

  test('a valid token is used without refreshing', async () => {
    harness = startGeminiHarness()
    await harness.client.chat(geminiCall(HELLO))
    expect(harness.fake.authority.refreshCalls).toBe(0)
    expect(bearers(harness)).toEqual([`Bearer ${harness.accessToken}`])
  })

  test('a 401 mid-life triggers exactly one refresh and the request is replayed with the new token', async () => {
    harness = startGeminiHarness({ config: { PROJECT_ID: 'fake-proj-1' } })
    harness.fake.authority.expire(harness.accessToken)
    const reply = await harness.client.chat(geminiCall(HELLO))
    expect(reply.kind === 'http' && reply.response.status).toBe(200)
    expect(harness.fake.authority.refreshCalls).toBe(1)
    const fresh = readCreds(harness.credsPath).access_token
    expect(bearers(harness)).toEqual([`Bearer ${harness.accessToken}`, `Bearer ${fresh}`])
  })

  test('a second 401 after the refresh is a member-scoped authentication error, not a loop', async () => {
    harness = startGeminiHarness({ config: { PROJECT_ID: 'fake-proj-1' } })
    harness.fake.authority.expire(harness.accessToken)
    harness.fake.script('generateContent', {
      status: 401,
      body: JSON.stringify({ error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' } }),
    })
    const error = await harness.client.chat(geminiCall(HELLO)).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(GatewayError)
    expect(error).toMatchObject({ status: 401, kind: 'authentication', scope: 'member' })
    expect(harness.fake.authority.refreshCalls).toBe(1)
  })

  test('a revoked refresh token gives a clear 401 and leaves the credential file in place', async () => {
    harness = startGeminiHarness({ expiresInMs: -1000 })
    harness.fake.authority.revoke(harness.refreshToken)
    const before = readFileSync(harness.credsPath, 'utf8')
    const error = await harness.client.chat(geminiCall(HELLO)).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(GatewayError)
    expect(error).toMatchObject({ status: 401, kind: 'authentication', scope: 'member' })
    expect((error as Error).message).toBe(`Gemini refresh token expired or revoked; log in again with the Gemini CLI (file: ${harness.credsPath})`)
    expect(existsSync(harness.credsPath)).toBe(true)
    expect(readFileSync(harness.credsPath, 'utf8')).toBe(before)
    expect(harness.fake.calls('generateContent')).toHaveLength(0)
  })

  test('concurrent requests with an expired token share exactly one refresh', async () => {
    harness = startGeminiHarness({ expiresInMs: -1000 })
    const h = harness
    const replies = await Promise.all([1, 2, 3, 4].map(() => h.client.chat(geminiCall(HELLO))))
    expect(replies).toHaveLength(4)
    expect(h.fake.authority.refreshCalls).toBe(1)
    expect(new Set(bearers(h)).size).toBe(1)
  })

  test('a token the user refreshed in the file meanwhile is picked up instead of refreshing again', async () => {
    harness = startGeminiHarness()
    const h = harness
    await h.client.chat(geminiCall(HELLO))
    // The Gemini CLI refreshed the same file; the token we hold is then rejected.
    const newer = h.fake.authority.issueAccessToken()
    const creds = readCreds(h.credsPath)
    await Bun.write(h.credsPath, JSON.stringify({ ...creds, access_token: newer, expiry_date: NOW + HOUR }))
    h.fake.authority.expire(h.accessToken)
    await h.client.chat(geminiCall(HELLO))
    expect(h.fake.authority.refreshCalls).toBe(0)
    expect(bearers(h).at(-1)).toBe(`Bearer ${newer}`)
  })

  test('base64 credentials are refreshed in memory only', async () => {
    harness = startGeminiHarness()
    const h = harness
    const creds = { access_token: h.accessToken, refresh_token: h.refreshToken, expiry_date: NOW - 1000 }
    const config = defaultConfig({
      GEMINI_OAUTH_CREDS_BASE64: Buffer.from(JSON.stringify(creds)).toString('base64'),
      GEMINI_OAUTH_CREDS_FILE_PATH: h.credsPath,
      GEMINI_OAUTH_TOKEN_URL: h.fake.tokenUrl,
      GEMINI_BASE_URL: h.fake.codeAssistUrl,
    })
    const before = readFileSync(h.credsPath, 'utf8')
    const client = geminiCliProvider.create(config, { log: createLogger({ level: 'silent' }), now: () => NOW, fetch })
    await client.chat(geminiCall(HELLO))
    expect(h.fake.authority.refreshCalls).toBe(1)
    expect(readFileSync(h.credsPath, 'utf8')).toBe(before)
  })

  test('refreshIfNear refreshes only a token expiring within the window', async () => {
    harness = startGeminiHarness({ expiresInMs: 20 * 60_000 })
    await harness.client.refreshIfNear?.(15 * 60_000)
    expect(harness.fake.authority.refreshCalls).toBe(0)
    await harness.client.refreshIfNear?.(30 * 60_000)
    expect(harness.fake.authority.refreshCalls).toBe(1)
    expect(readCreds(harness.credsPath).access_token).not.toBe(harness.accessToken)
  })
})
