// The Kiro login (its own token file shape and refresh, against a fake that rotates refresh
// tokens) and the Gemini CLI login shared by two replicas: an expired login used on both at
// once is refreshed once, every request is served, both files are updated.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatExpiresAt } from '../../src/providers/kiro/expires-at.ts'
import { startGoogleFake, type GoogleFake } from '../fakes/google/index.ts'
import { startFakeKiro, type FakeKiro } from '../fakes/kiro/server.ts'
import { post, type TestGateway } from '../helpers/gateway.ts'
import { describeWithRedis, startRedis, type TestRedis } from '../helpers/redis.ts'
import { startReplica } from './helpers.ts'
import { tempDir } from '../helpers/temp-dir.ts'

/** Statuses of `perReplica` concurrent chat requests on every replica. */
function concurrently(gateways: TestGateway[], perReplica: number, model: string): Promise<number[]> {
  const chat = { model, messages: [{ role: 'user', content: 'hi' }] }
  return Promise.all(
    gateways.flatMap((gw) =>
      Array.from({ length: perReplica }, async () => {
        const response = await post(gw, '/v1/chat/completions', chat)
        await response.text()
        return response.status
      }),
    ),
  )
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>

function credentialFile(prefix: string, name: string, content: unknown): string {
  const path = join(tempDir(prefix), name)
  writeFileSync(path, JSON.stringify(content))
  return path
}

describeWithRedis('one Kiro login on two replicas', () => {
  let redis: TestRedis
  let fake: FakeKiro
  const replicas: { gw: TestGateway; path: string }[] = []

  beforeAll(async () => {
    redis = await startRedis()
    fake = startFakeKiro({ rotateRefreshTokens: true })
    const login = fake.tokens.login('social', { expiresInS: -60 })
    const content = { ...login, expiresAt: formatExpiresAt(Date.now() - 60_000), authMethod: 'social', provider: 'Google', profileArn: fake.profileArn }
    for (let i = 0; i < 2; i++) {
      const path = credentialFile('sb-kiro-replica-', 'kiro-auth-token.json', content)
      const gw = await startReplica(redis.url, {
        MODEL_PROVIDER: 'claude-kiro-oauth',
        KIRO_OAUTH_CREDS_FILE_PATH: path,
        KIRO_BASE_URL: fake.urls.api,
        KIRO_REFRESH_URL: fake.urls.social,
        KIRO_REFRESH_IDC_URL: fake.urls.idc,
      })
      replicas.push({ gw, path })
    }
  })
  afterAll(async () => {
    for (const { gw } of replicas) await gw.stop()
    fake.stop()
    await redis.stop()
  })

  test('an expired login used on both replicas at once is refreshed once; every request succeeds', async () => {
    const statuses = await concurrently(
      replicas.map(({ gw }) => gw),
      4,
      'claude-sonnet-4-5',
    )
    expect(statuses).toEqual(Array.from({ length: 8 }, () => 200))
    expect(fake.tokens.refreshCalls).toBe(1)
    const [first, second] = replicas.map(({ path }) => readJson(path))
    expect(second?.accessToken).toBe(first?.accessToken)
    expect(second?.refreshToken).toBe(first?.refreshToken)
  })
})

describeWithRedis('one Gemini CLI login on two replicas', () => {
  let redis: TestRedis
  let fake: GoogleFake
  const replicas: { gw: TestGateway; path: string }[] = []

  beforeAll(async () => {
    redis = await startRedis()
    fake = startGoogleFake()
    const { accessToken, refreshToken } = fake.authority.login()
    const content = { access_token: accessToken, refresh_token: refreshToken, token_type: 'Bearer', expiry_date: Date.now() - 60_000 }
    for (let i = 0; i < 2; i++) {
      const path = credentialFile('sb-gemini-replica-', 'oauth_creds.json', content)
      const gw = await startReplica(redis.url, {
        MODEL_PROVIDER: 'gemini-cli-oauth',
        GEMINI_OAUTH_CREDS_FILE_PATH: path,
        GEMINI_OAUTH_TOKEN_URL: fake.tokenUrl,
        GEMINI_BASE_URL: fake.codeAssistUrl,
      })
      replicas.push({ gw, path })
    }
  })
  afterAll(async () => {
    for (const { gw } of replicas) await gw.stop()
    fake.stop()
    await redis.stop()
  })

  test('an expired login used on both replicas at once is refreshed once; every request succeeds', async () => {
    const statuses = await concurrently(
      replicas.map(({ gw }) => gw),
      4,
      'gemini-2.5-flash',
    )
    expect(statuses).toEqual(Array.from({ length: 8 }, () => 200))
    expect(fake.authority.refreshCalls).toBe(1)
    const [first, second] = replicas.map(({ path }) => readJson(path))
    expect(second?.access_token).toBe(first?.access_token)
  })
})
