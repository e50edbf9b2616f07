// The official `openai` SDK must accept what the codec produces for OpenAI clients, and its
// own requests must decode. A Bun server on 127.0.0.1:0 plays the gateway.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import type { ChatEvent, ChatRequest, ChatResponse } from '../../../src/chat/types.ts'
import { eventsOf, testCodec } from './fixture-files.ts'

const TEXT_EVENTS: ChatEvent[] = [
  { type: 'start', id: 'msg_01Sdk', model: 'claude-sonnet-4' },
  { type: 'thinking', text: 'brief thought' },
  { type: 'text', text: 'Bonjour ' },
  { type: 'text', text: '👋 世界' },
  { type: 'finish', reason: 'stop', usage: { inputTokens: 11, outputTokens: 4, cachedInputTokens: 3 } },
]

const TOOL_EVENTS: ChatEvent[] = [
  { type: 'start', id: 'chatcmpl-tools', model: 'gpt-4o' },
  { type: 'text', text: 'Checking both.' },
  { type: 'tool_call_start', index: 0, id: 'call_a', name: 'get_weather' },
  { type: 'tool_call_start', index: 1, id: 'call_b', name: 'get_time' },
  { type: 'tool_call_delta', index: 0, argumentsDelta: '{"city":' },
  { type: 'tool_call_delta', index: 1, argumentsDelta: '{"tz":"Asia/Tokyo"}' },
  { type: 'tool_call_delta', index: 0, argumentsDelta: '"Zürich"}' },
  { type: 'tool_call_end', index: 0 },
  { type: 'tool_call_end', index: 1 },
  { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 20, outputTokens: 30 } },
]

const TOOL_RESPONSE: ChatResponse = {
  id: 'chatcmpl-tools',
  model: 'gpt-4o',
  parts: [
    { type: 'tool_call', id: 'call_a', name: 'get_weather', arguments: { city: 'Zürich' } },
    { type: 'tool_call', id: 'call_b', name: 'get_time', arguments: { tz: 'Asia/Tokyo' } },
  ],
  finishReason: 'tool_calls',
  usage: { inputTokens: 20, outputTokens: 30, reasoningTokens: 0 },
}

const TEXT_RESPONSE: ChatResponse = {
  id: 'msg_01Sdk',
  model: 'claude-sonnet-4',
  parts: [{ type: 'text', text: 'Bonjour 👋 世界' }],
  finishReason: 'length',
  usage: { inputTokens: 11, outputTokens: 4 },
}

let server: ReturnType<typeof Bun.serve>
let client: OpenAI
const received: ChatRequest[] = []

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const codec = testCodec()
      const decoded = codec.decodeRequest(await request.json(), {})
      received.push(decoded)
      const wantsTools = decoded.tools !== undefined
      if (!decoded.stream) return Response.json(codec.encodeResponse(wantsTools ? TOOL_RESPONSE : TEXT_RESPONSE))
      const frames = codec
        .encodeStream(eventsOf(wantsTools ? TOOL_EVENTS : TEXT_EVENTS), { model: decoded.model, includeUsage: decoded.includeUsage ?? false })
        [Symbol.asyncIterator]()
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await frames.next()
          if (next.done) controller.close()
          else controller.enqueue(new TextEncoder().encode(next.value))
        },
      })
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
    },
  })
  client = new OpenAI({ baseURL: `http://127.0.0.1:${server.port}/v1`, apiKey: 'x', maxRetries: 0 })
})

afterAll(() => server.stop(true))

const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { tz: { type: 'string' } } } } },
]

describe('the official openai SDK', () => {
  test('parses a non-stream text answer', async () => {
    const completion = await client.chat.completions.create({ model: 'claude-sonnet-4', messages: [{ role: 'user', content: 'hi' }], temperature: 0 })
    expect(completion.id).toBe('chatcmpl-msg_01Sdk')
    expect(completion.choices[0]?.message.content).toBe('Bonjour 👋 世界')
    expect(completion.choices[0]?.finish_reason).toBe('length')
    expect(completion.usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 })
    expect(received.at(-1)?.temperature).toBe(0)
  })

  test('parses non-stream tool calls with JSON-string arguments', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'go' }], tools: TOOLS })
    const message = completion.choices[0]?.message
    expect(message?.content).toBeNull()
    const calls = (message?.tool_calls ?? []).map((call) =>
      call.type === 'function' ? [call.id, call.function.name, JSON.parse(call.function.arguments)] : [],
    )
    expect(calls).toEqual([
      ['call_a', 'get_weather', { city: 'Zürich' }],
      ['call_b', 'get_time', { tz: 'Asia/Tokyo' }],
    ])
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls')
  })

  test('iterates a text stream with the usage chunk it asked for', async () => {
    const stream = await client.chat.completions.create({
      model: 'claude-sonnet-4',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    })
    let text = ''
    let finish: string | null | undefined
    let usage: OpenAI.CompletionUsage | null | undefined
    const ids = new Set<string>()
    for await (const chunk of stream) {
      ids.add(chunk.id)
      text += chunk.choices[0]?.delta.content ?? ''
      finish = chunk.choices[0]?.finish_reason ?? finish
      if (chunk.usage) usage = chunk.usage
    }
    expect(text).toBe('Bonjour 👋 世界')
    expect(finish).toBe('stop')
    expect(usage).toMatchObject({ prompt_tokens: 11, completion_tokens: 4, total_tokens: 15, prompt_tokens_details: { cached_tokens: 3 } })
    expect([...ids]).toEqual(['chatcmpl-msg_01Sdk'])
    expect(received.at(-1)).toMatchObject({ stream: true, includeUsage: true })
  })

  test('the stream helper assembles interleaved parallel tool calls into a final completion', async () => {
    const stream = client.chat.completions.stream({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'go' }],
      tools: TOOLS,
      stream_options: { include_usage: true },
    })
    const completion = await stream.finalChatCompletion()
    const choice = completion.choices[0]
    expect(choice?.finish_reason).toBe('tool_calls')
    expect(choice?.message.content).toBe('Checking both.')
    const calls = (choice?.message.tool_calls ?? []).map((call) =>
      call.type === 'function' ? [call.id, call.function.name, JSON.parse(call.function.arguments)] : [],
    )
    expect(calls).toEqual([
      ['call_a', 'get_weather', { city: 'Zürich' }],
      ['call_b', 'get_time', { tz: 'Asia/Tokyo' }],
    ])
    expect(completion.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 30, total_tokens: 50 })
  })

  test('its requests with tool history decode to canonical form', async () => {
    await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [
        { role: 'developer', content: 'be brief' },
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_a', content: '18 °C' },
      ],
      tools: TOOLS,
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      max_completion_tokens: 50,
      stop: ['\n'],
    })
    expect(received.at(-1)).toMatchObject({
      system: [{ type: 'text', text: 'be brief' }],
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'go' }] },
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_a', name: 'get_weather', arguments: { city: 'Paris' } }] },
        { role: 'user', parts: [{ type: 'tool_result', toolCallId: 'call_a', name: 'get_weather', content: [{ type: 'text', text: '18 °C' }] }] },
      ],
      toolChoice: { type: 'tool', name: 'get_weather' },
      maxTokens: 50,
      stop: ['\n'],
    })
  })
})
