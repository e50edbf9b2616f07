import { describe, expect, test } from 'bun:test'
import type { ChatRequest, Message } from '../../../src/chat/types.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { testCodec } from './fixture-files.ts'

const encode = (request: ChatRequest) => testCodec().encodeRequest(request)
const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'm',
  system: [],
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
  stream: false,
  ...extra,
})

describe('encodeRequest', () => {
  test('a minimal request sends only model and messages: no invented defaults', () => {
    expect(encode(request())).toStrictEqual({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
  })

  test('zero values are sent as zero', () => {
    expect(encode(request({ temperature: 0, topP: 0, seed: 0, presencePenalty: 0, frequencyPenalty: 0 }))).toMatchObject({
      temperature: 0,
      top_p: 0,
      seed: 0,
      presence_penalty: 0,
      frequency_penalty: 0,
    })
  })

  test('a streaming request always asks for the usage chunk, whatever the client asked', () => {
    const body = encode(request({ stream: true, includeUsage: false }))
    expect(body.stream).toBe(true)
    expect(body.stream_options).toEqual({ include_usage: true })
  })

  test('top_k has no OpenAI field and is not sent', () => {
    expect(encode(request({ topK: 5 }))).not.toHaveProperty('top_k')
  })

  test('inline images become data: URLs and URL images keep their URL', () => {
    const body = encode(
      request({
        messages: [
          {
            role: 'user',
            parts: [
              { type: 'image', mediaType: 'image/jpeg', data: '/9j/4AAQ' },
              { type: 'image_url', url: 'https://example.com/a.png' },
            ],
          },
        ],
      }),
    )
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
        ],
      },
    ])
  })

  test('thinking in history survives as reasoning_content; signatures and redacted thinking are dropped', () => {
    const assistant: Message = {
      role: 'assistant',
      parts: [
        { type: 'thinking', text: 'step 1. ', signature: 'sig' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'thinking', text: 'step 2.' },
        { type: 'text', text: 'Answer' },
      ],
    }
    expect(encode(request({ messages: [assistant] })).messages).toEqual([{ role: 'assistant', content: 'Answer', reasoning_content: 'step 1. step 2.' }])
  })

  test('an assistant turn with only tool calls has null content and stringified arguments', () => {
    const body = encode(request({ messages: [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'f', arguments: { q: 'ü', n: [1] } }] }] }))
    expect(body.messages).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"q":"ü","n":[1]}' } }] },
    ])
  })

  test('tool results become tool messages first, then tool images, then the user text', () => {
    const body = encode(
      request({
        messages: [
          {
            role: 'user',
            parts: [
              { type: 'text', text: 'here you go' },
              {
                type: 'tool_result',
                toolCallId: 'c1',
                name: 'screenshot',
                content: [
                  { type: 'text', text: 'captured' },
                  { type: 'image', mediaType: 'image/png', data: 'iVBO' },
                ],
              },
              { type: 'tool_result', toolCallId: 'c2', content: [], isError: true },
            ],
          },
        ],
      }),
    )
    expect(body.messages).toEqual([
      { role: 'tool', tool_call_id: 'c1', content: 'captured' },
      { role: 'tool', tool_call_id: 'c2', content: '' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBO' } }] },
      { role: 'user', content: 'here you go' },
    ])
  })

  test('each system text part becomes a system message', () => {
    const body = encode(
      request({
        system: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      }),
    )
    expect(body.messages).toEqual([
      { role: 'system', content: 'a' },
      { role: 'system', content: 'b' },
      { role: 'user', content: 'hi' },
    ])
  })

  test.each([
    [{ enabled: true, effort: 'low' as const }, 'low'],
    [{ enabled: true, budgetTokens: 1024 }, 'low'],
    [{ enabled: true, budgetTokens: 1025 }, 'medium'],
    [{ enabled: true, budgetTokens: 8192 }, 'medium'],
    [{ enabled: true, budgetTokens: 8193 }, 'high'],
    [{ enabled: true, budgetTokens: 500, effort: 'high' as const }, 'high'],
    [{ enabled: true }, 'medium'],
  ])('thinking %o is sent as reasoning_effort %s with max_completion_tokens', (thinking, effort) => {
    const body = encode(request({ thinking, maxTokens: 2000 }))
    expect(body.reasoning_effort).toBe(effort)
    expect(body.max_completion_tokens).toBe(2000)
    expect(body).not.toHaveProperty('max_tokens')
  })

  test('disabled thinking sends no reasoning_effort', () => {
    const body = encode(request({ thinking: { enabled: false }, maxTokens: 5 }))
    expect(body).not.toHaveProperty('reasoning_effort')
    expect(body.max_tokens).toBe(5)
  })

  test('tool choice and response format use the OpenAI shapes; a schema without a name gets one', () => {
    const body = encode(request({ toolChoice: { type: 'tool', name: 'f' }, responseFormat: { type: 'json_schema', schema: { type: 'object' } } }))
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'f' } })
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema: { type: 'object' } } })
  })

  test('a tool call inside a user message is refused with a 400', () => {
    const bad = request({ messages: [{ role: 'user', parts: [{ type: 'tool_call', id: 'x', name: 'f', arguments: {} }] }] })
    expect(() => encode(bad)).toThrow(GatewayError)
    expect(() => encode(bad)).toThrow('messages[0]: a user message cannot carry a tool_call part')
  })
})
