// REDIS_URL with a password and a database index; a wrong password or an unreachable Redis
// never costs a request, and the password never reaches a log line.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { ConfigError } from '../../src/config/load.ts'
import { parseRedisUrl } from '../../src/replicas/redis-url.ts'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'
import { describeWithRedis, startRedis, type TestRedis } from '../helpers/redis.ts'
import { sharingOf, startReplica, until } from './helpers.ts'

const PASSWORD = 'redis-pass-0123456789'
const chat = { model: 'local-echo', messages: [{ role: 'user', content: 'hi' }] }

test('REDIS_URL: redis:// and rediss://, password and db index; anything else is refused with a clear line', () => {
  expect(parseRedisUrl(`redis://:${PASSWORD}@10.0.0.5/3`).label).toBe('redis://10.0.0.5:6379/3')
  expect(parseRedisUrl('rediss://user:pw@cache.example:6380').label).toBe('rediss://cache.example:6380/0')
  expect(() => parseRedisUrl('redis://host/abc')).toThrow(ConfigError)
  expect(() => parseRedisUrl('redis://host/abc')).toThrow('REDIS_URL: the path must be a database index such as /0, not "/abc"')
  expect(() => parseRedisUrl('http://host')).toThrow('REDIS_URL must start with redis:// or rediss://')
})

describeWithRedis('REDIS_URL against a Redis with a password', () => {
  let redis: TestRedis
  const gateways: TestGateway[] = []
  beforeAll(async () => {
    redis = await startRedis({ password: PASSWORD })
  })
  afterAll(async () => {
    for (const gw of gateways) await gw.stop()
    await redis.stop()
  })

  test('the password and the db index in the URL are used; the password is never logged', async () => {
    const gw = await startReplica(`${redis.url}/3`, { MODEL_PROVIDER: 'local-echo' })
    gateways.push(gw)
    const response = await post(gw, '/v1/chat/completions', chat, { 'x-session-id': 'db-check' })
    expect(response.status).toBe(200)
    await response.text()
    const client = redis.client()
    await until(async () => (await client.send('SELECT', ['3'])) === 'OK' && (await client.keys('switchboard:session:*')).length === 1, 'the session in db 3')
    expect(gw.logs.some((line) => line.includes(`connected to redis://127.0.0.1:${redis.port}/3`))).toBe(true)
    const metrics = await (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${gw.key}` } })).text()
    expect(metrics).toContain('\nswitchboard_redis_reachable 1\n')
    expect(gw.logs.join('\n')).not.toContain(PASSWORD)
  })

  test('a wrong password: requests are served on local state, the failure is logged once, /health says Redis is not reachable', async () => {
    const gw = await startGateway({ MODEL_PROVIDER: 'local-echo', REDIS_URL: `redis://:wrong-${PASSWORD}@127.0.0.1:${redis.port}` })
    gateways.push(gw)
    await until(() => gw.logs.some((line) => line.includes('redis: cannot reach')), 'the failure to be logged')
    for (let i = 0; i < 3; i++) {
      const response = await post(gw, '/v1/chat/completions', chat)
      expect(response.status).toBe(200)
      await response.text()
    }
    expect(sharingOf(gw).redisReachable).toBe(false)
    const health = (await (await fetch(`${gw.url}/health`)).json()) as Record<string, unknown>
    expect(health.sharing).toEqual({ shared: true, redisReachable: false })
    const metrics = await (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${gw.key}` } })).text()
    expect(metrics).toContain('\nswitchboard_redis_reachable 0\n')
    expect(gw.logs.filter((line) => line.includes('redis: cannot reach'))).toHaveLength(1)
    expect(gw.logs.join('\n')).not.toContain(PASSWORD)
  })
})

test('without REDIS_URL no sharing is set up and the answers are unchanged', async () => {
  const gw = await startGateway({ MODEL_PROVIDER: 'local-echo' })
  try {
    expect(gw.gateway.replicas).toBeUndefined()
    const health = (await (await fetch(`${gw.url}/health`)).json()) as Record<string, unknown>
    expect(Object.keys(health).sort()).toEqual(['provider', 'status', 'timestamp', 'version'])
    const pools = (await (await fetch(`${gw.url}/pools`, { headers: { authorization: `Bearer ${gw.key}` } })).json()) as Record<string, unknown>
    expect(Object.keys(pools)).toEqual(['local-echo'])
    const metrics = await (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${gw.key}` } })).text()
    expect(metrics).not.toContain('switchboard_redis')
  } finally {
    await gw.stop()
  }
})
