// Redis going away under load: no request fails, each replica logs the loss once and goes
// on with its own state; when Redis is back (restarted empty), sharing resumes, the
// replicas converge on what changed meanwhile, and a replica started afterwards adopts it.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { post, type TestGateway } from '../helpers/gateway.ts'
import { describeWithRedis, startRedis, type TestRedis } from '../helpers/redis.ts'
import { member, poolsFile, sharingOf, startReplica, until } from './helpers.ts'

const KEY = 'sk-outage-test-0123456789'
const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }

describeWithRedis('Redis down and back', () => {
  let redis: TestRedis
  let fake1: FakeOpenAI
  let fake2: FakeOpenAI
  let pools: Record<string, unknown[]>
  const replicas: TestGateway[] = []
  const config = () => ({ MODEL_PROVIDER: 'openai-custom', REQUEST_MAX_RETRIES: 1, PROVIDER_POOLS_FILE_PATH: poolsFile(pools) })

  beforeAll(async () => {
    redis = await startRedis()
    fake1 = await startFakeOpenAI({ apiKey: KEY })
    fake2 = await startFakeOpenAI({ apiKey: KEY })
    pools = {
      'openai-custom': [
        { uuid: 'm1', OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake1.url },
        { uuid: 'm2', OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake2.url },
      ],
    }
    replicas.push(await startReplica(redis.url, config()), await startReplica(redis.url, config()))
  })
  afterAll(async () => {
    for (const gw of replicas) await gw.stop()
    await fake1.stop()
    await fake2.stop()
    await redis.stop()
  })

  /** Requests from `workers` loops on every replica until `done` resolves; every status seen. */
  function load(workers: number, done: Promise<void>): Promise<number[]> {
    let finished = false
    void done.then(() => {
      finished = true
    })
    const loops = replicas.flatMap((gw) =>
      Array.from({ length: workers }, async () => {
        const seen: number[] = []
        while (!finished) {
          const response = await post(gw, '/v1/chat/completions', chat)
          await response.text()
          seen.push(response.status)
        }
        return seen
      }),
    )
    return Promise.all(loops).then((all) => all.flat())
  }

  test('killed under load: no request fails; restarted: sharing resumes and the replicas converge; a later replica adopts the state', async () => {
    const [a, b] = replicas as [TestGateway, TestGateway]
    let stopLoad = () => {}
    const statuses = load(
      2,
      new Promise((resolve) => {
        stopLoad = resolve
      }),
    )
    await fake1.waitForRequests(fake1.journal.length + 5)

    await redis.kill()
    await until(() => !sharingOf(a).redisReachable && !sharingOf(b).redisReachable, 'both replicas to notice')
    // While Redis is away, A learns alone that m1 is rate-limited (its request fails over to m2).
    fake1.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '600' } })
    await until(
      () => member(a, 'openai-custom', 'm1').cooldownUntil !== null || member(b, 'openai-custom', 'm1').cooldownUntil !== null,
      'a replica to hit the 429',
    )
    const [learnt, other] = member(a, 'openai-custom', 'm1').cooldownUntil !== null ? [a, b] : [b, a]
    expect(member(other, 'openai-custom', 'm1').cooldownUntil).toBeNull()

    await redis.restart()
    await until(() => sharingOf(a).redisReachable && sharingOf(b).redisReachable, 'both replicas to reconnect')
    await until(() => member(other, 'openai-custom', 'm1').cooldownUntil !== null, 'the other replica to converge')
    expect(member(other, 'openai-custom', 'm1').cooldownUntil).toBe(member(learnt, 'openai-custom', 'm1').cooldownUntil)
    stopLoad()
    const seen = await statuses
    expect(seen.length).toBeGreaterThan(10)
    expect(seen.filter((status) => status !== 200)).toEqual([])

    for (const gw of [a, b]) {
      expect(gw.logs.filter((line) => line.includes('redis: lost the connection'))).toHaveLength(1)
      expect(gw.logs.filter((line) => line.includes('redis: reconnected'))).toHaveLength(1)
    }

    // A replica started now adopts the shared verdict before serving anything.
    const late = await startReplica(redis.url, config())
    replicas.push(late)
    expect(member(late, 'openai-custom', 'm1').cooldownUntil).toBe(member(learnt, 'openai-custom', 'm1').cooldownUntil)
  })
})
