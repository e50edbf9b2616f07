// Client-key limits across replicas: requests and tokens counted on one replica count on the
// others (pushed within a tenth of a second), and a replica started later knows today's spend.
// All replicas share one virtual clock, pinned inside a minute, so no window rolls over mid-test.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describeWithRedis, startRedis, type TestRedis } from '../helpers/redis.ts'
import { startGateway, type TestGateway } from '../helpers/gateway.ts'
import { sharingOf, until } from './helpers.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const dir = tempDir('sb-replica-keys-')
const ALICE = 'sk-alice-replicas-000001'
const BOB = 'sk-bob-replicas-00000001'
const NOW = Date.UTC(2026, 11, 5, 12, 0, 30)
const keysPath = join(dir, 'keys.json')
let redis: TestRedis
const replicas: TestGateway[] = []

async function replica(): Promise<TestGateway> {
  const n = replicas.length
  const gw = await startGateway({ REDIS_URL: redis.url, CLIENT_KEYS_FILE_PATH: keysPath, USAGE_DB_PATH: join(dir, `usage-${n}.db`) }, { now: () => NOW })
  replicas.push(gw)
  await until(() => sharingOf(gw).redisReachable, 'the replica to reach Redis')
  return gw
}

const ask = (gw: TestGateway, key: string) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'a few words to count' }] }),
  })

function others(gw: TestGateway, name: string) {
  const counters = gw.gateway.replicas?.counters
  if (counters === undefined) throw new Error('no Redis')
  return counters.others(name, NOW)
}

describeWithRedis('client-key counters shared by replicas', () => {
  beforeAll(async () => {
    redis = await startRedis()
    writeFileSync(
      keysPath,
      JSON.stringify({
        keys: [
          { name: 'alice', key: ALICE, rpm: 4 },
          { name: 'bob', key: BOB, dailyTokens: 50 },
        ],
      }),
    )
  })
  afterAll(async () => {
    for (const gw of replicas) await gw.stop()
    await redis.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  test('rpm: requests on A count on B', async () => {
    const a = await replica()
    const b = await replica()
    for (let i = 0; i < 2; i++) expect((await ask(a, ALICE)).status).toBe(200)
    await until(() => others(b, 'alice').requests === 2, 'B to see A’s requests')
    for (let i = 0; i < 2; i++) expect((await ask(b, ALICE)).status).toBe(200)
    const refused = await ask(b, ALICE)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('30')
    await until(() => others(a, 'alice').requests === 2, 'A to see B’s requests')
    expect((await ask(a, ALICE)).status).toBe(429)
  })

  test('dailyTokens: spent on A, refused on B, and on a replica started afterwards', async () => {
    const [a, b] = replicas as [TestGateway, TestGateway]
    let status = 200
    for (let i = 0; i < 20 && status === 200; i++) status = (await ask(a, BOB)).status
    expect(status).toBe(429)
    await until(() => others(b, 'bob').dayTokens >= 50, 'B to see A’s tokens')
    expect((await ask(b, BOB)).status).toBe(429)
    const late = await replica()
    await until(() => others(late, 'bob').dayTokens >= 50, 'the late replica to load today’s spend from Redis')
    expect((await ask(late, BOB)).status).toBe(429)
  })
})
