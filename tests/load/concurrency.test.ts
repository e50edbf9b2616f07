// 200 streaming requests at once: every one completes with exactly its own content, through
// local-echo, through byte passthrough to an OpenAI upstream, and through conversion.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'
import { inFlight, openaiStreamText, sseData } from './helpers.ts'

const CLIENTS = 200
const UPSTREAM_KEY = 'sk-load-concurrency-0001'

let fake: FakeOpenAI
let gw: TestGateway
beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: UPSTREAM_KEY })
  gw = await startGateway({ MODEL_PROVIDER: 'local-echo', OPENAI_API_KEY: UPSTREAM_KEY, OPENAI_BASE_URL: fake.url, REQUEST_MAX_RETRIES: 0 })
})
afterAll(async () => {
  await gw.stop()
  await fake.stop()
})

/** A distinct prompt per client, with multi-byte characters so chunk splits matter. */
const prompt = (i: number) => `client ${i} — café 😀 ${'x'.repeat(i % 17)} end ${i}`

function openaiStream(path: string, i: number): Promise<string> {
  return post(gw, path, { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: prompt(i) }] }).then(async (res) => {
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(sseData(text).at(-1)).toBe('[DONE]')
    return openaiStreamText(text)
  })
}

describe(`${CLIENTS} concurrent streams`, () => {
  test('local-echo: each client gets exactly its own text', async () => {
    const started = performance.now()
    const texts = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => openaiStream('/local-echo/v1/chat/completions', i)))
    for (const [i, text] of texts.entries()) expect(text).toBe(prompt(i))
    expect(inFlight(gw)).toBe(0)
    console.log(`local-echo: ${CLIENTS} streams in ${(performance.now() - started).toFixed(0)} ms`)
  })

  test('openai-custom passthrough: each client gets the upstream bytes for its own prompt', async () => {
    const before = fake.journal.length
    const started = performance.now()
    const texts = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => openaiStream('/openai-custom/v1/chat/completions', i)))
    for (const [i, text] of texts.entries()) expect(text).toBe(`echo: ${prompt(i)}`)
    expect(fake.journal.length - before).toBe(CLIENTS)
    expect(inFlight(gw)).toBe(0)
    console.log(`openai-custom passthrough: ${CLIENTS} streams in ${(performance.now() - started).toFixed(0)} ms`)
  })

  test('Anthropic client → openai-custom (converted both ways): each stream is complete and its own', async () => {
    const texts = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, i) => {
        const res = await post(gw, '/openai-custom/v1/messages', {
          model: 'gpt-4o-mini',
          max_tokens: 64,
          stream: true,
          messages: [{ role: 'user', content: prompt(i) }],
        })
        expect(res.status).toBe(200)
        const text = await res.text()
        let out = ''
        const types: string[] = []
        for (const data of sseData(text)) {
          const event = JSON.parse(data) as { type: string; delta?: { type: string; text?: string } }
          types.push(event.type)
          if (event.delta?.type === 'text_delta') out += event.delta.text ?? ''
        }
        expect(types.at(-1)).toBe('message_stop')
        return out
      }),
    )
    for (const [i, text] of texts.entries()) expect(text).toBe(`echo: ${prompt(i)}`)
    expect(inFlight(gw)).toBe(0)
  })
})
