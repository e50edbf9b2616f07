import { afterEach, describe, expect, test } from 'bun:test'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { HELLO, HOUR, NOW, openaiCall, startQwenHarness, type QwenHarness } from './harness.ts'

let harness: QwenHarness | undefined
afterEach(() => harness?.fake.stop())

const readCreds = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
const bearers = (h: QwenHarness) => h.fake.chatCalls().map((entry) => entry.headers.get('authorization'))
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  )

describe('openai-qwen-oauth token refresh', () => {
  test('an expired token is refreshed first; the file is rewritten 0600, normalised, refresh token kept', async () => {
    harness = startQwenHarness({
      creds: (t) => ({ access_token: t.accessToken, refresh_token: t.refreshToken, token_type: 'Bearer', expiry_date: NOW - 1000 }),
    })
    await harness.client.chat(openaiCall(HELLO))
    expect(harness.fake.authority.refreshCalls).toBe(1)
    const refresh = harness.fake.journal.find((entry) => entry.origin === 'qwen-oauth')
    expect(refresh?.form?.get('grant_type')).toBe('refresh_token')
    expect(refresh?.form?.get('refresh_token')).toBe(harness.refreshToken)
    expect(refresh?.form?.get('client_id')).toBe('f0304373b74a44d2b584a3fb70ca9e56')
    const creds = readCreds(harness.credsPath)
    expect(creds).toEqual({
      access_token: expect.stringMatching(/^fake-at-/),
      token_type: 'Bearer',
      refresh_token: harness.refreshToken,
      resource_url: harness.fake.chatOrigin,
      expiry_date: NOW + 21_600_000,
    })
    expect(creds.access_token).not.toBe(harness.accessToken)
    expect(bearers(harness)).toEqual([`Bearer ${creds.access_token}`])
    expect(statSync(harness.credsPath).mode & 0o777).toBe(0o600)
  })

  test('a raw token response (expires_in, no expiry_date) is treated as expired and refreshed on first use', async () => {
    harness = startQwenHarness({
      creds: (t) => ({ access_token: t.accessToken, refresh_token: t.refreshToken, token_type: 'Bearer', expires_in: 21600, resource_url: t.chatOrigin }),
    })
    await harness.client.chat(openaiCall(HELLO))
    expect(harness.fake.authority.refreshCalls).toBe(1)
    const creds = readCreds(harness.credsPath)
    expect(creds.expires_in).toBeUndefined()
    expect(creds.expiry_date).toBe(NOW + 21_600_000)
  })

  test('a rotated refresh token replaces the old one in the file', async () => {
    harness = startQwenHarness({
      fake: { rotateRefreshTokens: true },
      creds: (t) => ({ access_token: t.accessToken, refresh_token: t.refreshToken, expiry_date: NOW - 1 }),
    })
    await harness.client.chat(openaiCall(HELLO))
    const rotated = readCreds(harness.credsPath).refresh_token
    expect(rotated).not.toBe(harness.refreshToken)
    expect(harness.fake.authority.refreshTokenState(rotated as string)).toBe('live')
  })

  test('a 401 mid-life: exactly one refresh, then the same request again with the new token', async () => {
    harness = startQwenHarness()
    harness.fake.authority.expire(harness.accessToken)
    const reply = await harness.client.chat(openaiCall(HELLO))
    expect(reply.kind === 'http' && reply.response.status).toBe(200)
    expect(harness.fake.authority.refreshCalls).toBe(1)
    const fresh = readCreds(harness.credsPath).access_token
    expect(bearers(harness)).toEqual([`Bearer ${harness.accessToken}`, `Bearer ${fresh}`])
    const [first, second] = harness.fake.chatCalls()
    expect(second?.body).toBe(first?.body)
  })

  test('a rejected refresh: a clear 401, and the credential file is neither deleted nor changed', async () => {
    harness = startQwenHarness({ creds: (t) => ({ access_token: t.accessToken, refresh_token: t.refreshToken, expiry_date: NOW - 1 }) })
    harness.fake.authority.revoke(harness.refreshToken)
    const before = readFileSync(harness.credsPath, 'utf8')
    const error = await failure(harness.client.chat(openaiCall(HELLO)))
    expect(error).toBeInstanceOf(GatewayError)
    expect(error).toMatchObject({ status: 401, kind: 'authentication', scope: 'member' })
    expect((error as Error).message).toBe(`Qwen refresh token was rejected; log in again with Qwen Code (file: ${harness.credsPath})`)
    expect(existsSync(harness.credsPath)).toBe(true)
    expect(readFileSync(harness.credsPath, 'utf8')).toBe(before)
    expect(harness.fake.chatCalls()).toHaveLength(0)
  })

  test('a 200 refresh answer carrying an error is a rejection too', async () => {
    harness = startQwenHarness({ creds: (t) => ({ access_token: t.accessToken, refresh_token: t.refreshToken, expiry_date: NOW - 1 }) })
    harness.fake.scriptToken({ status: 200, body: JSON.stringify({ error: 'invalid_grant', error_description: 'Refresh token expired' }) })
    const error = await failure(harness.client.chat(openaiCall(HELLO)))
    expect(error).toMatchObject({ status: 401, kind: 'authentication' })
    expect(existsSync(harness.credsPath)).toBe(true)
  })

  test('a token endpoint outage is a member-scoped 502, not an authentication failure', async () => {
    harness = startQwenHarness({ creds: (t) => ({ access_token: t.accessToken, refresh_token: t.refreshToken, expiry_date: NOW - 1 }) })
    harness.fake.scriptToken({ status: 503, body: 'upstream connect error' })
    expect(await failure(harness.client.chat(openaiCall(HELLO)))).toMatchObject({ status: 502, scope: 'member' })
  })

  test('concurrent requests with an expired token share exactly one refresh', async () => {
    harness = startQwenHarness({ creds: (t) => ({ access_token: t.accessToken, refresh_token: t.refreshToken, expiry_date: NOW - 1 }) })
    const h = harness
    await Promise.all([1, 2, 3, 4].map(() => h.client.chat(openaiCall(HELLO))))
    expect(h.fake.authority.refreshCalls).toBe(1)
    expect(new Set(bearers(h)).size).toBe(1)
  })

  test('refreshIfNear refreshes only within the window', async () => {
    harness = startQwenHarness({ creds: (t) => ({ access_token: t.accessToken, refresh_token: t.refreshToken, expiry_date: NOW + HOUR }) })
    await harness.client.refreshIfNear?.(15 * 60_000)
    expect(harness.fake.authority.refreshCalls).toBe(0)
    harness.clock.now = NOW + HOUR - 10 * 60_000
    await harness.client.refreshIfNear?.(15 * 60_000)
    expect(harness.fake.authority.refreshCalls).toBe(1)
  })
})
