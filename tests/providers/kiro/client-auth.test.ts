import { afterEach, describe, expect, test } from 'bun:test'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { formatExpiresAt } from '../../../src/providers/kiro/expires-at.ts'
import { kiroFaults } from '../../fakes/kiro/server.ts'
import { writeJson } from './helpers.ts'
import { chatEvents, CLIENT_ID, CLIENT_SECRET, kiroFixture, textOf, userRequest, type FixtureOptions, type KiroFixture } from './fixture.ts'

let fixture: KiroFixture | undefined
const start = (options: FixtureOptions = {}) => (fixture = kiroFixture(options))
afterEach(() => fixture?.fake.stop())

const readFile = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
const bearers = (f: KiroFixture) => f.fake.journal.filter((entry) => entry.route === 'generateAssistantResponse').map((entry) => entry.headers.authorization)

describe('Kiro token refresh', () => {
  test('an expired token is refreshed first; the file is rewritten atomically with mode 0600, other fields kept', async () => {
    const f = start({ expiresInS: -60, file: { startUrl: 'https://view.awsapps.com/start' } })
    const { events, error } = await chatEvents(f.client, userRequest('Hello'))
    expect(error).toBeUndefined()
    expect(textOf(events)).toBe('You said: Hello')
    expect(f.fake.tokens.socialRefreshes).toBe(1)
    const [refresh] = f.fake.journal.filter((entry) => entry.route === 'refreshToken')
    expect(refresh?.json).toEqual({ refreshToken: f.login.refreshToken })
    const saved = readFile(f.path)
    expect(saved.accessToken).not.toBe(f.login.accessToken)
    expect(bearers(f)).toEqual([`Bearer ${saved.accessToken}`])
    expect(saved.refreshToken).toBe(f.login.refreshToken)
    expect(saved.expiresAt).toBe(formatExpiresAt(f.clock.now() + 3600_000))
    expect(saved).toMatchObject({ authMethod: 'social', provider: 'Google', profileArn: f.fake.profileArn, startUrl: 'https://view.awsapps.com/start' })
    expect(statSync(f.path).mode & 0o777).toBe(0o600)
  })

  test('a token expiring within the 5-minute margin is refreshed proactively', async () => {
    const f = start({ expiresInS: 120 })
    await chatEvents(f.client, userRequest('x'))
    expect(f.fake.tokens.refreshCalls).toBe(1)
  })

  test('a file with only a refresh token gets an access token before the first call', async () => {
    const f = start({ file: { accessToken: undefined, expiresAt: undefined } })
    const { error } = await chatEvents(f.client, userRequest('x'))
    expect(error).toBeUndefined()
    expect(f.fake.tokens.refreshCalls).toBe(1)
  })

  test('a rotated refresh token is stored', async () => {
    const f = start({ expiresInS: -1, fake: { rotateRefreshTokens: true } })
    await chatEvents(f.client, userRequest('x'))
    expect(readFile(f.path).refreshToken).not.toBe(f.login.refreshToken)
  })

  test('a token rejected mid-life (401): exactly one refresh, then the call is replayed with the new token', async () => {
    const f = start()
    f.fake.tokens.expire(f.login.accessToken)
    const { events, error } = await chatEvents(f.client, userRequest('again'))
    expect(error).toBeUndefined()
    expect(textOf(events)).toBe('You said: again')
    expect(f.fake.tokens.refreshCalls).toBe(1)
    const calls = bearers(f)
    expect(calls).toHaveLength(2)
    expect(calls[0]).toBe(`Bearer ${f.login.accessToken}`)
    expect(calls[1]).toBe(`Bearer ${readFile(f.path).accessToken}`)
  })

  test('a 403 that says the bearer token is invalid is treated like a 401', async () => {
    const f = start({ fake: { expiredTokenAs403: true } })
    f.fake.tokens.expire(f.login.accessToken)
    const { error } = await chatEvents(f.client, userRequest('x'))
    expect(error).toBeUndefined()
    expect(f.fake.tokens.refreshCalls).toBe(1)
  })

  test('a rejected token after the refresh is an error, not a refresh loop', async () => {
    const f = start()
    f.fake.enqueue(kiroFaults.unauthorized(), kiroFaults.unauthorized())
    const { error } = await chatEvents(f.client, userRequest('x'))
    expect([error?.status, error?.kind, error?.scope]).toEqual([401, 'authentication', 'member'])
    expect(f.fake.tokens.refreshCalls).toBe(1)
    expect(f.generateCalls()).toBe(2)
  })

  test('a revoked refresh token: a clear 401 naming the file, one refresh attempt only', async () => {
    const f = start({ expiresInS: -1 })
    f.fake.tokens.revoke(f.login.refreshToken)
    const { error } = await chatEvents(f.client, userRequest('x'))
    expect([error?.status, error?.kind, error?.scope]).toEqual([401, 'authentication', 'member'])
    expect(error?.message).toStartWith(`Kiro refresh token was rejected; log in again with the Kiro IDE (file: ${f.path})`)
    expect(f.fake.tokens.refreshCalls).toBe(1)
    expect(f.generateCalls()).toBe(0)
  })

  test('concurrent requests with an expired token share exactly one refresh', async () => {
    const f = start({ expiresInS: -1 })
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => chatEvents(f.client, userRequest(`n${i}`))))
    expect(results.map((result) => result.error)).toEqual(Array(6).fill(undefined))
    expect(f.fake.tokens.refreshCalls).toBe(1)
    expect(new Set(bearers(f)).size).toBe(1)
  })

  test('social logins refresh at KIRO_REFRESH_URL with {{region}} = region, and call the API in that region', async () => {
    const f = start({ expiresInS: -1, file: { region: 'eu-central-1' } })
    await chatEvents(f.client, userRequest('x'))
    expect(f.fake.journal.map((entry) => entry.path)).toEqual(['/eu-central-1/refreshToken', '/eu-central-1/generateAssistantResponse'])
  })

  test('IdC logins refresh at KIRO_REFRESH_IDC_URL with {{region}} = idcRegion, sending the client and grant type', async () => {
    const f = start({ kind: 'idc', expiresInS: -1, file: { region: 'eu-central-1', idcRegion: 'us-west-2' } })
    const { error } = await chatEvents(f.client, userRequest('x'))
    expect(error).toBeUndefined()
    expect(f.fake.journal.map((entry) => entry.path)).toEqual(['/us-west-2/token', '/eu-central-1/generateAssistantResponse'])
    expect(f.fake.journal[0]?.json).toEqual({
      refreshToken: f.login.refreshToken,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      grantType: 'refresh_token',
    })
    expect(f.fake.tokens.idcRefreshes).toBe(1)
    // IdC calls carry no profileArn.
    expect((f.fake.journal[1]!.json as Record<string, unknown>).profileArn).toBeUndefined()
  })

  test('IdC with a wrong client secret: the refresh is rejected with a clear 401', async () => {
    const f = start({ kind: 'idc', expiresInS: -1, file: { clientSecret: 'wrong' } })
    const { error } = await chatEvents(f.client, userRequest('x'))
    expect(error?.status).toBe(401)
    expect(error?.message).toContain('401 invalid_client')
  })

  test('IdC without clientId/clientSecret cannot refresh and says to log in again', async () => {
    const f = start({ kind: 'idc', expiresInS: -1, file: { clientId: undefined, clientSecret: undefined } })
    const { error } = await chatEvents(f.client, userRequest('x'))
    expect(error?.status).toBe(401)
    expect(error?.message).toContain('lack the clientId/clientSecret')
    expect(f.fake.tokens.refreshCalls).toBe(0)
  })

  test('base64 credentials are refreshed in memory and never written to a file', async () => {
    const f = start({ base64: true, expiresInS: -1 })
    const first = await chatEvents(f.client, userRequest('x'))
    const second = await chatEvents(f.client, userRequest('y'))
    expect([first.error, second.error]).toEqual([undefined, undefined])
    expect(f.fake.tokens.refreshCalls).toBe(1)
    expect(existsSync(f.path)).toBe(false)
    expect(f.log.lines.join('\n')).toContain('KIRO_OAUTH_CREDS_BASE64')
  })

  test('a token the Kiro IDE wrote meanwhile is used without another refresh', async () => {
    const f = start()
    await chatEvents(f.client, userRequest('x'))
    const newer = f.fake.tokens.login('social', { expiresInS: 3600 })
    writeJson(f.path, { ...readFile(f.path), accessToken: newer.accessToken, refreshToken: newer.refreshToken })
    f.fake.tokens.expire(f.login.accessToken)
    const { error } = await chatEvents(f.client, userRequest('y'))
    expect(error).toBeUndefined()
    expect(f.fake.tokens.refreshCalls).toBe(0)
    expect(bearers(f).at(-1)).toBe(`Bearer ${newer.accessToken}`)
  })

  test('refreshIfNear refreshes only a token expiring within the window', async () => {
    const f = start({ expiresInS: 600 })
    await f.client.refreshIfNear?.(5 * 60_000)
    expect(f.fake.tokens.refreshCalls).toBe(0)
    await f.client.refreshIfNear?.(15 * 60_000)
    expect(f.fake.tokens.refreshCalls).toBe(1)
  })

  test('tokens never reach the log', async () => {
    const f = start({ expiresInS: -1 })
    await chatEvents(f.client, userRequest('x'))
    const saved = readFile(f.path)
    const logged = f.log.lines.join('\n')
    expect(logged).toContain('refreshed the access token')
    for (const secret of [f.login.accessToken, f.login.refreshToken, saved.accessToken]) expect(logged).not.toContain(String(secret))
  })
})
