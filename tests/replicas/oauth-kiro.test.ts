// The Kiro login (its own token file shape and refresh) shared by two replicas against a
// fake that rotates refresh tokens: one refresh, every request served, both files updated.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatExpiresAt } from '../../src/providers/kiro/expires-at.ts'
import { startFakeKiro, type FakeKiro } from '../fakes/kiro/server.ts'
import { post, type TestGateway } from '../helpers/gateway.ts'
import { describeWithRedis, startRedis, type TestRedis } from '../helpers/redis.ts'
import { startReplica } from './helpers.ts'

const chat = { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] }

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
      const path = join(mkdtempSync(join(tmpdir(), 'sb-kiro-replica-')), 'kiro-auth-token.json')
      writeFileSync(path, JSON.stringify(content))
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
    const statuses = await Promise.all(
      replicas.flatMap(({ gw }) =>
        Array.from({ length: 4 }, async () => {
          const response = await post(gw, '/v1/chat/completions', chat)
          await response.text()
          return response.status
        }),
      ),
    )
    expect(statuses).toEqual(Array.from({ length: 8 }, () => 200))
    expect(fake.tokens.refreshCalls).toBe(1)
    const [first, second] = replicas.map(({ path }) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>)
    expect(second?.accessToken).toBe(first?.accessToken)
    expect(second?.refreshToken).toBe(first?.refreshToken)
  })
})
