// Two replicas (gateways built from their own configs and pools files) sharing one real
// redis-server: sticky sessions, cooldowns, health results and breakers decided on one are
// followed by the other.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { describeWithRedis, startRedis, type TestRedis } from '../helpers/redis.ts'
import { post, type TestGateway } from '../helpers/gateway.ts'
import { member, poolsFile, sharingOf, startReplica, until } from './helpers.ts'

const KEY = 'sk-replicas-test-0123456789'
const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }
let redis: TestRedis
let fake1: FakeOpenAI
let fake2: FakeOpenAI
let a: TestGateway
let b: TestGateway

describeWithRedis('two replicas sharing pool state', () => {
  beforeAll(async () => {
    redis = await startRedis()
    fake1 = await startFakeOpenAI({ apiKey: KEY })
    fake2 = await startFakeOpenAI({ apiKey: KEY })
    // Opposite weights: left alone, A sends nearly everything to m2 and B to m1.
    const pools = (w1: number, w2: number) => ({
      'openai-custom': [
        { uuid: 'm1', OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake1.url, weight: w1 },
        { uuid: 'm2', OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake2.url, weight: w2 },
      ],
    })
    const config = { MODEL_PROVIDER: 'openai-custom', POOL_FAILURE_THRESHOLD: 1, REQUEST_MAX_RETRIES: 1 }
    a = await startReplica(redis.url, { ...config, PROVIDER_POOLS_FILE_PATH: poolsFile(pools(1, 100)) })
    b = await startReplica(redis.url, { ...config, PROVIDER_POOLS_FILE_PATH: poolsFile(pools(100, 1)) })
  })
  afterAll(async () => {
    await a.stop()
    await b.stop()
    await fake1.stop()
    await fake2.stop()
    await redis.stop()
  })

  async function ok(gw: TestGateway, headers: Record<string, string> = {}): Promise<void> {
    const response = await post(gw, '/v1/chat/completions', chat, headers)
    expect(response.status).toBe(200)
    await response.text()
  }

  /** Which member served the request (by which fake's journal grew). */
  async function servedBy(gw: TestGateway, headers: Record<string, string>): Promise<'m1' | 'm2'> {
    const before = fake1.journal.length
    await ok(gw, headers)
    return fake1.journal.length > before ? 'm1' : 'm2'
  }

  test('/pools and /health say that state is shared and Redis is reachable', async () => {
    const pools = (await (await fetch(`${a.url}/pools`, { headers: { authorization: `Bearer ${a.key}` } })).json()) as Record<string, unknown>
    expect(pools.sharing).toMatchObject({ shared: true, redisReachable: true, redis: `redis://127.0.0.1:${redis.port}/0` })
    const health = (await (await fetch(`${a.url}/health`)).json()) as Record<string, unknown>
    expect(health.sharing).toEqual({ shared: true, redisReachable: true })
  })

  test('a sticky session assigned on one replica is kept on the other', async () => {
    const sessions = ['s1', 's2', 's3', 's4', 's5', 's6']
    const assigned = new Map<string, string>()
    const received = sharingOf(b).changesReceived
    for (const id of sessions) assigned.set(id, await servedBy(a, { 'x-session-id': id }))
    await until(() => sharingOf(b).changesReceived >= received + sessions.length, 'B to receive the assignments')
    // A's weights send (nearly) every session to m2, B's to m1: B keeps A's choice only through Redis.
    expect([...assigned.values()]).toContain('m2')
    for (const id of sessions) expect(await servedBy(b, { 'x-session-id': id })).toBe(assigned.get(id) as 'm1' | 'm2')
    // Redis keeps a digest of the session key, never the client's own identifier.
    const keys = await redis.client().keys('switchboard:session:*')
    expect(keys).toHaveLength(sessions.length)
    for (const key of keys) expect(key).toMatch(/^switchboard:session:[0-9a-f]{1,16}$/)
  })

  test('a rate limit on one replica cools the member down on the other, and a health result on the other ends it on both', async () => {
    fake1.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '120' } })
    fake2.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '120' } })
    const limited = await post(a, '/v1/chat/completions', chat)
    expect(limited.status).toBe(429)
    await limited.text()
    const delay = await until(
      () => member(b, 'openai-custom', 'm1').cooldownUntil !== null && member(b, 'openai-custom', 'm2').cooldownUntil !== null,
      'B to see the cooldowns',
    )
    expect(delay).toBeLessThan(2_000)
    expect(member(b, 'openai-custom', 'm1').cooldownUntil).toBe(member(a, 'openai-custom', 'm1').cooldownUntil)

    const upstreamCalls = fake1.journal.length + fake2.journal.length
    const resting = await post(b, '/v1/chat/completions', chat)
    expect(resting.status).toBe(503)
    await resting.text()
    expect(fake1.journal.length + fake2.journal.length).toBe(upstreamCalls)

    await b.gateway.pools.runHealthPass()
    await until(() => member(a, 'openai-custom', 'm1').cooldownUntil === null && member(a, 'openai-custom', 'm2').cooldownUntil === null, 'A to see the probes')
    await ok(a)
  })

  test('a breaker opened on one replica keeps the other replica off the member', async () => {
    fake2.enqueue(...Array.from({ length: 50 }, () => ({ kind: 'status' as const, status: 500 })))
    // A sends (nearly) everything to m2; the failure fails over to m1, so the request succeeds.
    const before = fake2.journal.length
    for (let i = 0; i < 50 && fake2.journal.length === before; i++) await ok(a)
    expect(member(a, 'openai-custom', 'm2').breaker).toBe('open')
    await until(() => member(b, 'openai-custom', 'm2').breaker === 'open', 'B to see the open breaker')
    const m2Calls = fake2.journal.length
    for (let i = 0; i < 6; i++) await ok(b)
    expect(fake2.journal.length).toBe(m2Calls)
  })

  test('Redis holds verdicts and session digests, never a config value', async () => {
    const client = redis.client()
    const keys = await client.keys('*')
    expect(keys).toContain('switchboard:members')
    const values = await Promise.all(keys.map((key) => (key === 'switchboard:members' ? client.hgetall(key) : client.get(key))))
    const dump = JSON.stringify(values)
    expect(dump).toMatch(/breaker\W+open/)
    expect(dump).not.toContain(KEY)
    expect(dump).not.toContain(fake1.url)
  })
})
