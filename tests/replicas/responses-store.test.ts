// Stored Responses API answers across replicas: an answer made on A continues the conversation
// (previous_response_id) and can be fetched on B, as when a load balancer switches replica.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { describeWithRedis, startRedis, type TestRedis } from '../helpers/redis.ts'
import { post, type TestGateway } from '../helpers/gateway.ts'
import { startReplica } from './helpers.ts'

let redis: TestRedis
let a: TestGateway
let b: TestGateway

describeWithRedis('stored Responses shared by replicas', () => {
  beforeAll(async () => {
    redis = await startRedis()
    a = await startReplica(redis.url, {})
    b = await startReplica(redis.url, {})
  })
  afterAll(async () => {
    await a.stop()
    await b.stop()
    await redis.stop()
  })

  test('an answer stored on A is found on B by GET and by previous_response_id', async () => {
    const first = (await (await post(a, '/v1/responses', { model: 'gpt-4o-mini', input: 'remember the word teal' })).json()) as { id: string }
    expect(first.id).toStartWith('resp_')
    // Written to Redis without waiting: B asks Redis when it does not hold the answer itself.
    let fetched = await fetch(`${b.url}/v1/responses/${first.id}`, { headers: { authorization: `Bearer ${b.key}` } })
    for (let tries = 0; fetched.status === 404 && tries < 1000; tries++)
      fetched = await fetch(`${b.url}/v1/responses/${first.id}`, { headers: { authorization: `Bearer ${b.key}` } })
    expect(fetched.status).toBe(200)
    expect(((await fetched.json()) as { id: string }).id).toBe(first.id)
    const next = await post(b, '/v1/responses', { model: 'gpt-4o-mini', input: 'which word?', previous_response_id: first.id })
    expect(next.status).toBe(200)
    const unknown = await post(b, '/v1/responses', { model: 'gpt-4o-mini', input: 'x', previous_response_id: 'resp_nowhere' })
    expect(unknown.status).toBe(400)
  })
})
