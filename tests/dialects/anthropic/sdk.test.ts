// Proof that the official Anthropic SDK accepts what the codec writes, streamed or not.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import Anthropic from '@anthropic-ai/sdk'
import type { ChatEvent, ChatRequest, ChatResponse } from '../../../src/chat/types.ts'
import { anthropicCodec } from '../../../src/dialects/anthropic/index.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { streamOf as itemsOf } from '../../helpers/chunks.ts'

const answer: ChatResponse = {
  id: 'chatcmpl-42',
  model: 'upstream-model',
  parts: [
    { type: 'text', text: 'Checking the weather in 東京 ☔' },
    { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Tokyo', days: [1, 2] } },
  ],
  finishReason: 'tool_calls',
  usage: { inputTokens: 120, outputTokens: 33, cachedInputTokens: 100 },
}

const events: ChatEvent[] = [
  { type: 'start', id: 'msg_stream_1', model: 'upstream-model', usage: { inputTokens: 80 } },
  { type: 'thinking', text: 'The user wants ' },
  { type: 'thinking', text: 'two lookups.' },
  { type: 'thinking_signature', signature: 'c2lnbmF0dXJl' },
  { type: 'text', text: 'On it 👍' },
  { type: 'tool_call_start', index: 0, id: 'call_a', name: 'get_weather' },
  { type: 'tool_call_delta', index: 0, argumentsDelta: '{"city":' },
  { type: 'tool_call_start', index: 1, id: 'call_b', name: 'get_time' },
  { type: 'tool_call_delta', index: 1, argumentsDelta: '{"tz":"Asia/Tokyo"}' },
  { type: 'tool_call_delta', index: 0, argumentsDelta: '"Tokyo"}' },
  { type: 'tool_call_end', index: 0 },
  { type: 'tool_call_end', index: 1 },
  { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 80, outputTokens: 57 } },
]

async function* failingAfterText(): AsyncGenerator<ChatEvent> {
  yield { type: 'start', id: 'msg_fail', model: 'm' }
  yield { type: 'text', text: 'partial' }
  throw new GatewayError(529, 'upstream_error', 'Overloaded')
}

function sseResponse(frames: AsyncIterable<string>): Response {
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        for await (const frame of frames) controller.enqueue(encoder.encode(frame))
      } catch (error) {
        if (!(error instanceof GatewayError)) throw error
        controller.enqueue(encoder.encode(anthropicCodec.encodeStreamError(error)))
      }
      controller.close()
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
}

let server: ReturnType<typeof Bun.serve>
let client: Anthropic
const received: ChatRequest[] = []

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const request_ = anthropicCodec.decodeRequest(await request.json(), {})
      received.push(request_)
      if (!request_.stream) return Response.json(anthropicCodec.encodeResponse(answer))
      const source = request_.model === 'fail' ? failingAfterText() : itemsOf(events)
      return sseResponse(anthropicCodec.encodeStream(source, { model: request_.model, includeUsage: false }))
    },
  })
  client = new Anthropic({ baseURL: `http://127.0.0.1:${server.port}`, apiKey: 'x', maxRetries: 0 })
})

afterAll(() => server.stop(true))

const params = {
  // A name the SDK does not know, so it prints no deprecation warning.
  model: 'claude-gateway-test',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'Weather and time in Tokyo?' }],
  tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }],
}

describe('the official @anthropic-ai/sdk reads the codec output', () => {
  test('messages.create (non-stream): text, tool_use input, usage and stop_reason', async () => {
    const message = await client.messages.create(params)
    expect(received.at(-1)?.tools?.[0]?.name).toBe('get_weather')
    expect(message.id).toBe('msg_chatcmpl-42')
    expect(message.stop_reason).toBe('tool_use')
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Checking the weather in 東京 ☔' })
    expect(message.content[1]).toMatchObject({ type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Tokyo', days: [1, 2] } })
    expect(message.usage).toMatchObject({ input_tokens: 20, cache_read_input_tokens: 100, output_tokens: 33 })
  })

  test('messages.stream().finalMessage(): thinking, text, interleaved tool calls, usage and stop_reason', async () => {
    const stream = client.messages.stream({ ...params, thinking: { type: 'enabled', budget_tokens: 1024 } })
    const texts: string[] = []
    stream.on('text', (text) => texts.push(text))
    const message = await stream.finalMessage()
    expect(received.at(-1)?.thinking).toEqual({ enabled: true, budgetTokens: 1024 })
    expect(texts).toEqual(['On it 👍'])
    expect(message.id).toBe('msg_stream_1')
    expect(message.model).toBe('upstream-model')
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'The user wants two lookups.', signature: 'c2lnbmF0dXJl' },
      { type: 'text', text: 'On it 👍' },
      { type: 'tool_use', id: 'call_a', name: 'get_weather', input: { city: 'Tokyo' } },
      { type: 'tool_use', id: 'call_b', name: 'get_time', input: { tz: 'Asia/Tokyo' } },
    ] as never)
    expect(message.stop_reason).toBe('tool_use')
    expect(message.usage).toMatchObject({ input_tokens: 80, output_tokens: 57 })
  })

  test('a stream that fails after starting surfaces as an SDK error of the right type', async () => {
    const stream = client.messages.stream({ ...params, model: 'fail' })
    const failure = await stream.finalMessage().then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(failure).toBeInstanceOf(Anthropic.APIError)
    expect((failure as InstanceType<typeof Anthropic.APIError>).message).toContain('Overloaded')
  })
})
