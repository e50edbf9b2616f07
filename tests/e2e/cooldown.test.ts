// Upstream retry hints over the wire: a huge Retry-After rests the member an hour at most,
// the 503 says why, and a successful health probe ends the rest.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'

const KEY = 'sk-cooldown-test-0123456789'
let fake: FakeOpenAI
let gw: TestGateway
beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY })
  gw = await startGateway({ MODEL_PROVIDER: 'openai-custom', OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.url, REQUEST_MAX_RETRIES: 0 })
})
afterAll(async () => {
  await gw.stop()
  await fake.stop()
})

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }

test('Retry-After: 99999999 rests the member one hour, the 503 names the rate limit, a good probe ends the rest', async () => {
  fake.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '99999999' } })
  const limited = await post(gw, '/v1/chat/completions', chat)
  expect(limited.status).toBe(429)
  expect(limited.headers.get('retry-after')).toBe('3600')
  await limited.text()

  const resting = await post(gw, '/v1/chat/completions', chat)
  expect(resting.status).toBe(503)
  expect(Number(resting.headers.get('retry-after'))).toBeLessThanOrEqual(3600)
  expect(((await resting.json()) as { error: { message: string } }).error.message).toMatch(
    /^the only openai-custom member is rate-limited by the upstream; retry in 3\d{3} s$/,
  )

  await gw.gateway.pools.runHealthPass()
  expect(gw.gateway.pools.snapshot()['openai-custom']?.[0]?.cooldownUntil).toBeNull()
  const back = await post(gw, '/v1/chat/completions', chat)
  expect(back.status).toBe(200)
  await back.text()
})
