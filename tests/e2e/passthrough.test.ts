// Same-dialect passthrough: openai-custom and claude-custom with the official SDKs. The
// request bytes reach the upstream unchanged (only auth differs), the answer bytes reach
// the client unchanged, and the client's gateway key never leaves the gateway.
import Anthropic from '@anthropic-ai/sdk'
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic/index.ts'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'

const OPENAI_KEY = 'sk-upstream-openai-key-1'
const CLAUDE_KEY = 'sk-ant-upstream-claude-key-1'
let openaiFake: FakeOpenAI
let claudeFake: FakeAnthropic
let gw: TestGateway

beforeAll(async () => {
  openaiFake = await startFakeOpenAI({ apiKey: OPENAI_KEY })
  claudeFake = await startFakeAnthropic({ apiKey: CLAUDE_KEY })
  gw = await startGateway({
    MODEL_PROVIDER: 'openai-custom',
    OPENAI_API_KEY: OPENAI_KEY,
    OPENAI_BASE_URL: openaiFake.url,
    CLAUDE_API_KEY: CLAUDE_KEY,
    CLAUDE_BASE_URL: claudeFake.url,
  })
})
afterAll(async () => {
  await gw.stop()
  await openaiFake.stop()
  await claudeFake.stop()
})

const weather = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}

describe('openai-custom passthrough', () => {
  const client = () => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.key })

  test('request bytes are forwarded unchanged, with the upstream key instead of the client key', async () => {
    const body = '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"héllo 😀"}],"temperature":0,"x_vendor_field":{"keep":true}}'
    const res = await post(gw, '/v1/chat/completions', body)
    expect(res.status).toBe(200)
    const seen = openaiFake.journal.at(-1)
    expect(seen?.rawBody).toBe(body)
    expect(seen?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`)
    expect(JSON.stringify(seen?.headers)).not.toContain(gw.key)
  })

  test('response bytes, SSE included, are exactly what the upstream sent', async () => {
    const body = JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'stream me, café 世界' }],
      stream: true,
      stream_options: { include_usage: true },
    })
    const direct = await (
      await fetch(`${openaiFake.url}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OPENAI_KEY}`, 'content-type': 'application/json' },
        body,
      })
    ).text()
    const proxied = await post(gw, '/v1/chat/completions', body)
    expect(proxied.headers.get('content-type')).toContain('text/event-stream')
    expect([proxied.headers.get('connection'), proxied.headers.get('cache-control')]).toEqual(['keep-alive', 'no-cache'])
    const text = await proxied.text()
    const normalise = (sse: string) => sse.replace(/"created":\d+/g, '"created":0').replace(/"id":"[^"]+"/g, '"id":"x"')
    expect(normalise(text)).toBe(normalise(direct))
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true)
  })

  test('SDK non-stream, stream and tool calls', async () => {
    const text = await client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi there' }] })
    expect(text.choices[0]?.message.content).toBe('echo: hi there')

    openaiFake.enqueue({
      kind: 'tool_calls',
      calls: [
        { name: 'get_weather', arguments: { city: 'Paris' } },
        { name: 'get_weather', arguments: { city: 'Tōkyō "quoted"' } },
      ],
    })
    const tools = await client().chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'weather?' }], tools: [weather] })
    expect(tools.choices[0]?.finish_reason).toBe('tool_calls')
    const calls = tools.choices[0]?.message.tool_calls ?? []
    expect(calls.map((call) => (call.type === 'function' ? JSON.parse(call.function.arguments) : null))).toEqual([
      { city: 'Paris' },
      { city: 'Tōkyō "quoted"' },
    ])

    openaiFake.enqueue({ kind: 'tool_calls', calls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] })
    const stream = client().chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'weather?' }], tools: [weather] })
    const final = await stream.finalChatCompletion()
    const call = final.choices[0]?.message.tool_calls?.[0]
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Oslo' })
  })

  test('an upstream 429 comes back as 429 with Retry-After, in the OpenAI shape', async () => {
    const gw2 = await startGateway({ MODEL_PROVIDER: 'openai-custom', OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: openaiFake.url, REQUEST_MAX_RETRIES: 0 })
    openaiFake.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '7' } })
    const res = await post(gw2, '/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'x' }] })
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('7')
    expect(((await res.json()) as { error: { type: string } }).error.type).toBeDefined()
    await gw2.stop()
  })

  test('an upstream that dies mid-stream ends the stream with an OpenAI error event and no [DONE]', async () => {
    openaiFake.enqueue({ kind: 'cut-after', chunks: 2 })
    const res = await post(gw, '/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'a long answer please' }], stream: true })
    const text = await res.text()
    expect(text).toContain('data: {"error":')
    expect(text).not.toContain('[DONE]')
  })
})

describe('claude-custom passthrough', () => {
  const client = () => new Anthropic({ baseURL: `${gw.url}/claude-custom`, apiKey: gw.key })

  test('request bytes are forwarded unchanged with x-api-key replaced', async () => {
    const body = '{"model":"claude-test-model","max_tokens":50,"messages":[{"role":"user","content":"hi ✓"}],"temperature":0}'
    const res = await fetch(`${gw.url}/claude-custom/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': gw.key, 'anthropic-version': '2023-06-01', 'anthropic-beta': 'tools-2024-04-04', 'content-type': 'application/json' },
      body,
    })
    expect(res.status).toBe(200)
    const seen = claudeFake.journal.at(-1)
    expect(seen?.rawBody).toBe(body)
    expect(seen?.headers['x-api-key']).toBe(CLAUDE_KEY)
    expect(seen?.headers['anthropic-beta']).toBe('tools-2024-04-04')
    expect(JSON.stringify(seen?.headers)).not.toContain(gw.key)
    expect(res.headers.get('x-switchboard-provider')).toBe('claude-custom')
  })

  test('SDK non-stream, stream and tool use', async () => {
    const res = await client().messages.create({ model: 'claude-test-model', max_tokens: 100, messages: [{ role: 'user', content: 'hello' }] })
    expect(res.content[0]?.type === 'text' && res.content[0].text).toBe('echo: hello')

    claudeFake.enqueue({
      kind: 'tool_calls',
      calls: [
        { name: 'get_weather', arguments: { city: 'Lima' } },
        { name: 'get_weather', arguments: { city: 'Rome' } },
      ],
    })
    const final = await client()
      .messages.stream({
        model: 'claude-test-model',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'weather?' }],
        tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      })
      .finalMessage()
    expect(final.stop_reason).toBe('tool_use')
    expect(final.content.filter((block) => block.type === 'tool_use').map((block) => block.type === 'tool_use' && block.input)).toEqual([
      { city: 'Lima' },
      { city: 'Rome' },
    ])
  })

  test('a mid-stream upstream error becomes an Anthropic error event', async () => {
    claudeFake.enqueue({ kind: 'stream-error-after', chunks: 1 })
    const res = await fetch(`${gw.url}/claude-custom/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': gw.key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'c', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    })
    const text = await res.text()
    expect(text).toContain('event: error')
    expect(text).not.toContain('message_stop')
  })
})
