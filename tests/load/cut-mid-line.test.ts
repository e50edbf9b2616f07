// A passthrough stream cut in the middle of a line: the gateway's error event starts on a
// fresh line, so SDKs read it as its own event instead of a corrupt continuation.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'
import { sseData } from './helpers.ts'

const FIRST = 'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hi"}}]}\n\n'
const HALF = 'data: {"id":"c1","object":"chat.compl'

let upstream: ReturnType<typeof Bun.serve>
let gw: TestGateway

beforeAll(async () => {
  upstream = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch: () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(FIRST + HALF))
            controller.close()
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      ),
  })
  gw = await startGateway({
    MODEL_PROVIDER: 'openai-custom',
    OPENAI_API_KEY: 'sk-cut-0001',
    OPENAI_BASE_URL: `http://127.0.0.1:${upstream.port}/v1`,
    REQUEST_MAX_RETRIES: 0,
  })
})
afterAll(async () => {
  await gw.stop()
  upstream.stop(true)
})

test('the error event after a half-sent line begins after a blank line and parses on its own', async () => {
  const text = await (await post(gw, '/v1/chat/completions', { model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }] })).text()
  expect(text.startsWith(FIRST + HALF)).toBe(true)
  expect(text.slice((FIRST + HALF).length)).toStartWith('\n\ndata: {"error":')
  const last = JSON.parse(sseData(text).at(-1) ?? 'null') as { error?: { message?: string } }
  expect(last.error?.message).toContain('ended before it finished')
})
