// A streamed answer may be quiet longer than the server's idle timeout for connections (a
// reasoning model thinking): only STREAM_IDLE_TIMEOUT_MS may end it. The connection idle
// timeout is set to its minimum, 1 s; Bun checks it on a 4-second tick, so without the lift
// a connection quiet for 6 s is cut after about 4 s. The silence is real time: it is what is tested.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'
import { openaiStreamText, sseData } from './helpers.ts'

const UPSTREAM_KEY = 'sk-quiet-0001'
let fake: FakeOpenAI
let gw: TestGateway

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: UPSTREAM_KEY })
  gw = await startGateway({
    MODEL_PROVIDER: 'openai-custom',
    OPENAI_API_KEY: UPSTREAM_KEY,
    OPENAI_BASE_URL: fake.url,
    CONNECTION_IDLE_TIMEOUT_S: 1,
    STREAM_IDLE_TIMEOUT_MS: 60_000,
    REQUEST_MAX_RETRIES: 0,
  })
})
afterAll(async () => {
  await gw.stop()
  await fake.stop()
})

describe('a quiet stream outlives the connection idle timeout', () => {
  test('6 s of silence mid-stream (over the 1 s connection idle timeout) → the whole answer and [DONE]', async () => {
    const quiet = Promise.withResolvers<void>()
    fake.enqueue({ kind: 'stall-after', chunks: 1, until: quiet.promise })
    const res = await post(gw, '/v1/chat/completions', { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'think long' }] })
    expect(res.status).toBe(200)
    setTimeout(() => quiet.resolve(), 6_000)
    const text = await res.text()
    expect(sseData(text).at(-1)).toBe('[DONE]')
    expect(openaiStreamText(text)).toBe('echo: think long')
  }, 30_000)
})
