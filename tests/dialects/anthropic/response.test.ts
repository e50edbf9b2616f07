import { describe, expect, test } from 'bun:test'
import type { ChatResponse, FinishReason } from '../../../src/chat/types.ts'
import { decodeAnthropicResponse, encodeAnthropicResponse } from '../../../src/dialects/anthropic/response.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { fixtureJson } from './fixture.ts'

function failure(run: () => unknown): GatewayError {
  try {
    run()
  } catch (error) {
    if (error instanceof GatewayError) return error
    throw error
  }
  throw new Error('expected a failure')
}

const answer = (fields: Partial<ChatResponse> = {}): ChatResponse => ({
  id: 'msg_1',
  model: 'claude-x',
  parts: [{ type: 'text', text: 'hi' }],
  finishReason: 'stop',
  usage: { inputTokens: 10, outputTokens: 2 },
  ...fields,
})

describe('Anthropic responses', () => {
  test.each(['response-text.json', 'response-tool-use.json', 'response-thinking.json', 'response-max-tokens.json', 'response-stop-sequence.json'])(
    'golden %s survives decode → encode unchanged',
    async (name) => {
      const body = await fixtureJson(name)
      expect(encodeAnthropicResponse(decodeAnthropicResponse(body))).toEqual(body as never)
    },
  )

  test('decodes parallel tool calls, and cache reads as part of the input', async () => {
    const response = decodeAnthropicResponse(await fixtureJson('response-tool-use.json'))
    expect(response).toEqual({
      id: 'msg_01Aq9w938a90dw8q',
      model: 'claude-sonnet-4-5-20250929',
      parts: [
        { type: 'text', text: "I'll check the weather and the time for you." },
        { type: 'tool_call', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', arguments: { location: 'San Francisco, CA', unit: 'celsius' } },
        { type: 'tool_call', id: 'toolu_01B2XhqkHPYqSGC6SynBqPwB', name: 'get_time', arguments: { timezone: 'America/New_York' } },
      ],
      finishReason: 'tool_calls',
      usage: { inputTokens: 2020, outputTokens: 121, cachedInputTokens: 1200 },
    })
  })

  test('decodes thinking with its signature and redacted thinking', async () => {
    const response = decodeAnthropicResponse(await fixtureJson('response-thinking.json'))
    expect(response.parts.map((part) => part.type)).toEqual(['thinking', 'redacted_thinking', 'text'])
    expect(response.parts[0]).toMatchObject({ text: expect.stringContaining('12231'), signature: expect.stringMatching(/^EqQB/) })
  })

  test('counts cache writes as input tokens', () => {
    const body = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'm',
      content: [],
      stop_reason: 'end_turn',
      usage: { input_tokens: 5, cache_creation_input_tokens: 100, cache_read_input_tokens: 0, output_tokens: 1 },
    }
    expect(decodeAnthropicResponse(body).usage).toEqual({ inputTokens: 105, outputTokens: 1 })
  })

  test.each([
    ['end_turn', null, 'stop', undefined],
    ['stop_sequence', 'END', 'stop', 'END'],
    ['max_tokens', null, 'length', undefined],
    ['model_context_window_exceeded', null, 'length', undefined],
    ['tool_use', null, 'tool_calls', undefined],
    ['refusal', null, 'content_filter', undefined],
    ['pause_turn', null, 'stop', undefined],
    [null, null, 'stop', undefined],
  ])('stop_reason %j (stop_sequence %j) decodes to %s', (stopReason, stopSequence, reason, sequence) => {
    const body = { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: stopReason, stop_sequence: stopSequence, usage: {} }
    const response = decodeAnthropicResponse(body)
    expect(response.finishReason).toBe(reason as FinishReason)
    expect(response.stopSequence).toBe(sequence as string | undefined)
  })

  test.each([
    ['stop', undefined, 'end_turn', null],
    ['stop', '###', 'stop_sequence', '###'],
    ['length', undefined, 'max_tokens', null],
    ['tool_calls', undefined, 'tool_use', null],
    ['content_filter', undefined, 'refusal', null],
  ] as const)('finish %s (stop sequence %j) encodes to %s', (finishReason, stopSequence, stopReason, wireSequence) => {
    const body = encodeAnthropicResponse(answer(stopSequence === undefined ? { finishReason } : { finishReason, stopSequence }))
    expect(body.stop_reason).toBe(stopReason)
    expect(body.stop_sequence).toBe(wireSequence)
  })

  test('a plain stop with tool calls tells the client to run them', () => {
    const body = encodeAnthropicResponse(answer({ parts: [{ type: 'tool_call', id: 'c1', name: 'f', arguments: { a: 1 } }], finishReason: 'stop' }))
    expect(body.stop_reason).toBe('tool_use')
  })

  test('encodes foreign answers: msg_ ids, signature-less thinking, invented tool ids, cache reads', () => {
    const body = encodeAnthropicResponse(
      answer({
        id: 'chatcmpl-9xYz',
        parts: [
          { type: 'thinking', text: 'reasoning from another provider' },
          { type: 'text', text: '' },
          { type: 'text', text: 'done' },
          { type: 'tool_call', id: '', name: 'f', arguments: {} },
          { type: 'image', mediaType: 'image/png', data: 'AAAA' },
        ],
        usage: { inputTokens: 100, outputTokens: 7, cachedInputTokens: 60 },
      }),
    )
    expect(body.id).toBe('msg_chatcmpl-9xYz')
    expect(body.content).toEqual([
      { type: 'thinking', thinking: 'reasoning from another provider', signature: '' },
      { type: 'text', text: 'done' },
      { type: 'tool_use', id: expect.stringMatching(/^toolu_[0-9a-f]{24}$/), name: 'f', input: {} },
    ])
    expect(body.usage).toEqual({ input_tokens: 40, cache_creation_input_tokens: 0, cache_read_input_tokens: 60, output_tokens: 7 })
  })

  test('an answer id with nothing usable gets a fresh msg_ id', () => {
    expect(encodeAnthropicResponse(answer({ id: '' })).id).toMatch(/^msg_[0-9a-f]{24}$/)
  })

  test('skips block types the canonical shape cannot hold', () => {
    const body = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'm',
      content: [
        { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
        { type: 'text', text: 'found it' },
      ],
      stop_reason: 'end_turn',
      usage: { input_tokens: 1, output_tokens: 1 },
    }
    expect(decodeAnthropicResponse(body).parts).toEqual([{ type: 'text', text: 'found it' }])
  })

  test.each([
    ['a string', 'hello'],
    ['no content', { id: 'msg_1', model: 'm' }],
    ['a text block without text', { id: 'msg_1', model: 'm', content: [{ type: 'text' }] }],
    ['a tool_use with string input', { id: 'msg_1', model: 'm', content: [{ type: 'tool_use', id: 't', name: 'n', input: '{' }] }],
    ['no id', { model: 'm', content: [] }],
  ])('garbage (%s) is a 502 blamed on the member', (_name, body) => {
    const error = failure(() => decodeAnthropicResponse(body))
    expect(error.status).toBe(502)
    expect(error.kind).toBe('bad_gateway')
    expect(error.scope).toBe('member')
    expect(error.message).toStartWith('upstream sent an invalid Anthropic message')
  })

  test('an error body inside a 200 becomes that error', () => {
    const error = failure(() => decodeAnthropicResponse({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }))
    expect(error.status).toBe(529)
    expect(error.message).toBe('Overloaded')
  })
})
