import { describe, expect, test } from 'bun:test'
import type { ChatResponse } from '../../../src/chat/types.ts'
import { testCodec } from './fixture-files.ts'

const response = (extra: Partial<ChatResponse> = {}): ChatResponse => ({
  id: 'msg_01AbC',
  model: 'claude-sonnet-4',
  parts: [{ type: 'text', text: 'hi' }],
  finishReason: 'stop',
  usage: { inputTokens: 3, outputTokens: 1 },
  ...extra,
})
interface EncodedCompletion {
  id: string
  object: string
  created: number
  choices: Array<Record<string, unknown> & { message: Record<string, unknown> }>
  usage: unknown
}
const encode = (value: ChatResponse) => testCodec().encodeResponse(value) as EncodedCompletion

describe('encodeResponse', () => {
  test('an id from another dialect is kept inside a chatcmpl- id; created is in seconds', () => {
    const body = encode(response())
    expect(body.id).toBe('chatcmpl-msg_01AbC')
    expect(body.created).toBe(1_700_000_000)
    expect(body.object).toBe('chat.completion')
  })

  test('an id with characters unfit for an id is cleaned; an empty one is generated', () => {
    expect(encode(response({ id: 'a b/c' })).id).toBe('chatcmpl-abc')
    expect(encode(response({ id: '' })).id).toBe('chatcmpl-gen1')
  })

  test('text split in several parts is joined; thinking becomes reasoning_content', () => {
    const body = encode(
      response({
        parts: [
          { type: 'thinking', text: 'hmm', signature: 's' },
          { type: 'text', text: 'Hello, ' },
          { type: 'text', text: '世界' },
        ],
      }),
    )
    expect(body.choices[0]?.message).toEqual({ role: 'assistant', content: 'Hello, 世界', refusal: null, reasoning_content: 'hmm' })
  })

  test('an empty answer has empty content, not null', () => {
    expect(encode(response({ parts: [] })).choices[0]?.message.content).toBe('')
  })

  test('text and tool calls together keep both', () => {
    const body = encode(
      response({
        parts: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_call', id: 'toolu_1', name: 'f', arguments: { a: 1 } },
        ],
        finishReason: 'tool_calls',
      }),
    )
    expect(body.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: 'Checking.',
        refusal: null,
        tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    })
  })

  test('usage totals are computed and details appear only when known', () => {
    expect(encode(response()).usage).toEqual({ prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 })
    expect(encode(response({ usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 7, reasoningTokens: 2 } })).usage).toEqual({
      prompt_tokens: 10,
      completion_tokens: 5,
      total_tokens: 15,
      prompt_tokens_details: { cached_tokens: 7 },
      completion_tokens_details: { reasoning_tokens: 2 },
    })
  })

  test('encode then decode gives the same response back (for an OpenAI-shaped id)', () => {
    const codec = testCodec()
    const original = response({
      id: 'chatcmpl-xyz',
      parts: [
        { type: 'thinking', text: 't' },
        { type: 'text', text: '🙂' },
        { type: 'tool_call', id: 'c1', name: 'f', arguments: { nested: { deep: [true, null] } } },
        { type: 'tool_call', id: 'c2', name: 'g', arguments: {} },
      ],
      finishReason: 'tool_calls',
      usage: { inputTokens: 1, outputTokens: 2, cachedInputTokens: 0 },
    })
    expect(codec.decodeResponse(codec.encodeResponse(original))).toStrictEqual(original)
  })
})
