// One OAuth login used by several replicas, against a Qwen fake whose refresh tokens are
// single-use (a refresh revokes the one it used): the refresh happens once, every replica
// switches to the new token, and a replica started later takes it from Redis rather than
// from its stale file (and writes it to that file).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startQwenFake, type QwenFake } from '../fakes/qwen/index.ts'
import { describeWithRedis, startRedis, type TestRedis } from '../helpers/redis.ts'
import { post, type TestGateway } from '../helpers/gateway.ts'
import { sharingOf, startReplica, until } from './helpers.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const chat = { model: 'coder-model', messages: [{ role: 'user', content: 'hi' }] }
let redis: TestRedis
let fake: QwenFake
let login: { accessToken: string; refreshToken: string }
const replicas: { gw: TestGateway; credsPath: string }[] = []

describeWithRedis('one OAuth login on several replicas', () => {
  beforeAll(async () => {
    redis = await startRedis()
    fake = startQwenFake({ rotateRefreshTokens: true })
    login = fake.authority.login()
  })
  afterAll(async () => {
    for (const { gw } of replicas) await gw.stop()
    fake.stop()
    await redis.stop()
  })

  /** A replica with its own copy of the login, by default expired an hour ago (as a copied file would be). */
  async function replica(tokens = login, expiresAt = Date.now() - 3_600_000): Promise<{ gw: TestGateway; credsPath: string }> {
    const credsPath = join(tempDir('sb-qwen-replica-'), 'oauth_creds.json')
    const creds = { ...tokensOf(tokens), token_type: 'Bearer', resource_url: fake.chatOrigin, expiry_date: expiresAt }
    writeFileSync(credsPath, JSON.stringify(creds))
    const gw = await startReplica(redis.url, { MODEL_PROVIDER: 'openai-qwen-oauth', QWEN_OAUTH_CREDS_FILE_PATH: credsPath, QWEN_OAUTH_BASE_URL: fake.oauthUrl })
    replicas.push({ gw, credsPath })
    return { gw, credsPath }
  }

  function tokensOf(tokens: { accessToken: string; refreshToken: string }) {
    return { access_token: tokens.accessToken, refresh_token: tokens.refreshToken }
  }

  const fileToken = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { access_token: string }).access_token

  async function statuses(gw: TestGateway, count: number): Promise<number[]> {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const response = await post(gw, '/v1/chat/completions', chat)
        await response.text()
        return response.status
      }),
    )
  }

  test('two replicas with the same expired login refresh once, and every request succeeds', async () => {
    const a = await replica()
    const b = await replica()
    const answers = await Promise.all([statuses(a.gw, 5), statuses(b.gw, 5)])
    expect(answers.flat()).toEqual(Array.from({ length: 10 }, () => 200))
    expect(fake.authority.refreshCalls).toBe(1)
    // Both files hold the refreshed token (each replica writes its own file back).
    expect(fileToken(a.credsPath)).not.toBe(login.accessToken)
    expect(fileToken(b.credsPath)).toBe(fileToken(a.credsPath))
  })

  test('a replica started later takes the newest token from Redis instead of its stale file, and writes it there', async () => {
    const refreshes = fake.authority.refreshCalls
    const newest = fileToken(replicas[0]?.credsPath ?? '')
    const late = await replica()
    // Connected means Redis was read: the file is rewritten before any request.
    await until(() => fileToken(late.credsPath) === newest, 'the late replica to write the shared token to its file')
    expect(await statuses(late.gw, 3)).toEqual([200, 200, 200])
    expect(fake.authority.refreshCalls).toBe(refreshes)
  })

  test('a token refreshed on one replica (after a 401) is pushed to the others, which use it without refreshing', async () => {
    const [a, b] = replicas
    if (a === undefined || b === undefined) throw new Error('replicas missing')
    const bPath = b.credsPath
    const old = fileToken(bPath)
    fake.authority.expire(old)
    const refreshes = fake.authority.refreshCalls
    expect(await statuses(a.gw, 1)).toEqual([200])
    expect(fake.authority.refreshCalls).toBe(refreshes + 1)
    await until(() => fileToken(bPath) !== old, 'B to take the pushed token')
    const chatCalls = fake.chatCalls().length
    expect(await statuses(b.gw, 2)).toEqual([200, 200])
    // No rejected attempt on B: it sent the new token straight away.
    expect(fake.chatCalls().length).toBe(chatCalls + 2)
    expect(fake.authority.refreshCalls).toBe(refreshes + 1)
  })

  test('a replica whose own file holds a newer login (the user logged in again there) keeps it', async () => {
    const fresh = fake.authority.login()
    const own = await replica(fresh, Date.now() + 10 * 3_600_000)
    // Connected means Redis was read, and its older token offered.
    expect(fileToken(own.credsPath)).toBe(fresh.accessToken)
    const chatCalls = fake.chatCalls().length
    expect(await statuses(own.gw, 1)).toEqual([200])
    expect(fake.chatCalls()[chatCalls]?.headers.get('authorization')).toBe(`Bearer ${fresh.accessToken}`)
  })

  test('a frozen Redis (connection open, no answers) never fails a needed refresh and is noticed; thawed, the token reaches the others', async () => {
    const [a, b] = replicas
    if (a === undefined || b === undefined) throw new Error('replicas missing')
    fake.authority.expire(fileToken(a.credsPath))
    const refreshes = fake.authority.refreshCalls
    redis.pause()
    try {
      expect(await statuses(a.gw, 1)).toEqual([200])
      // The heartbeat notices that Redis stopped answering.
      await until(() => !sharingOf(a.gw).redisReachable, 'A to notice the frozen Redis')
    } finally {
      redis.resume()
    }
    expect(fake.authority.refreshCalls).toBe(refreshes + 1)
    await until(() => fileToken(b.credsPath) === fileToken(a.credsPath), 'B to take the token once Redis answers again')
  })
})
