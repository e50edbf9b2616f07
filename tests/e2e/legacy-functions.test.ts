// OpenAI's legacy function calling (`functions`, `function_call`, `role: "function"`)
// through a converted provider: sent upstream as tools, answered as `message.function_call`
// (and `delta.function_call` when streaming). On openai-custom the bytes pass unchanged.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { decodeSse } from '../../src/upstream/sse.ts'
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic/index.ts'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { collect, streamOf } from '../helpers/chunks.ts'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'

const CLAUDE_KEY = 'sk-ant-legacy-functions-key'
const OPENAI_KEY = 'sk-openai-legacy-functions-key'
let claude: FakeAnthropic
let openai: FakeOpenAI
let gw: TestGateway

beforeAll(async () => {
  claude = await startFakeAnthropic({ apiKey: CLAUDE_KEY })
  openai = await startFakeOpenAI({ apiKey: OPENAI_KEY })
  gw = await startGateway({ CLAUDE_API_KEY: CLAUDE_KEY, CLAUDE_BASE_URL: claude.url, OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: openai.url })
})
afterAll(async () => {
  await gw.stop()
  await claude.stop()
  await openai.stop()
})

const weather = { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } }
const asked = { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Weather in Paris?' }], functions: [weather] }

const chat = (provider: string, body: unknown) => post(gw, `/${provider}/v1/chat/completions`, body)

describe('legacy functions through claude-custom', () => {
  test('functions go upstream as tools, one call at a time, and the answer is message.function_call', async () => {
    claude.enqueue({ kind: 'tool_calls', calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] })
    const response = await chat('claude-custom', { ...asked, function_call: 'auto' })
    const body = (await response.json()) as { choices: Array<{ message: Record<string, unknown>; finish_reason: string }> }
    const sent = claude.journal.at(-1)?.json as Record<string, unknown>
    expect(sent.tools).toEqual([{ name: 'get_weather', description: 'Weather for a city', input_schema: weather.parameters }])
    expect(sent.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true })
    const [choice] = body.choices
    expect(choice?.message.function_call).toEqual({ name: 'get_weather', arguments: '{"city":"Paris"}' })
    expect(choice?.message.tool_calls).toBeUndefined()
    expect(choice?.finish_reason).toBe('function_call')
  })

  test('streamed, the call arrives as delta.function_call pieces and finish_reason function_call', async () => {
    claude.enqueue({ kind: 'tool_calls', calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] })
    const response = await chat('claude-custom', { ...asked, stream: true })
    const events = await collect(decodeSse(streamOf([new Uint8Array(await response.arrayBuffer())])))
    type Delta = { tool_calls?: unknown; function_call?: { name?: string; arguments: string } }
    type Chunk = { choices: Array<{ delta: Delta; finish_reason: string | null }> }
    const chunks = events.filter((event) => event.data !== '[DONE]').map((event) => JSON.parse(event.data) as Chunk)
    const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta))
    expect(deltas.some((delta) => delta.tool_calls !== undefined)).toBe(false)
    const calls = deltas.flatMap((delta) => (delta.function_call ? [delta.function_call] : []))
    expect(calls[0]?.name).toBe('get_weather')
    expect(calls.map((call) => call.arguments).join('')).toBe('{"city":"Paris"}')
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('function_call')
  })

  test('a function message answers the call before it: the upstream gets a matching tool_use and tool_result', async () => {
    const response = await chat('claude-custom', {
      ...asked,
      messages: [
        ...asked.messages,
        { role: 'assistant', content: null, function_call: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { role: 'function', name: 'get_weather', content: '{"temp":21}' },
      ],
    })
    expect(response.status).toBe(200)
    const sent = claude.journal.at(-1)?.json as { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> }
    const use = sent.messages[1]?.content[0]
    const result = sent.messages[2]?.content[0]
    expect(use).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } })
    expect(result).toMatchObject({ type: 'tool_result', tool_use_id: use?.id, content: '{"temp":21}' })
  })
})

test('on openai-custom passthrough the legacy body reaches the upstream byte for byte', async () => {
  const raw = JSON.stringify({ ...asked, model: 'gpt-4o-mini', function_call: { name: 'get_weather' } })
  const response = await chat('openai-custom', raw)
  expect(response.status).toBe(200)
  expect(openai.journal.at(-1)?.rawBody).toBe(raw)
})
