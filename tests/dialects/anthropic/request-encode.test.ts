import { describe, expect, test } from 'bun:test'
import type { ChatRequest, Message } from '../../../src/chat/types.ts'
import { DEFAULT_MAX_TOKENS } from '../../../src/dialects/anthropic/index.ts'
import { encodeAnthropicRequest } from '../../../src/dialects/anthropic/request-encode.ts'

const request = (fields: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'claude-sonnet-4-5',
  system: [],
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
  stream: false,
  ...fields,
})
const encode = (fields: Partial<ChatRequest> = {}) => encodeAnthropicRequest(request(fields))

describe('encodeAnthropicRequest', () => {
  test('sets only the fields the request carries, with the default max_tokens', () => {
    expect(encode()).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: DEFAULT_MAX_TOKENS,
      messages: [{ role: 'user', content: 'hi' }],
      stream: false,
    })
    expect(DEFAULT_MAX_TOKENS).toBe(8192)
  })

  test('folds mid-conversation system messages into the system prompt, in order', () => {
    const body = encode({
      system: [{ type: 'text', text: 'first' }],
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'hi' }] },
        { role: 'system', parts: [{ type: 'text', text: 'be brief' }] },
        { role: 'assistant', parts: [{ type: 'text', text: 'ok' }] },
        { role: 'user', parts: [{ type: 'text', text: 'more' }] },
      ],
    })
    expect(body.system).toEqual([
      { type: 'text', text: 'first' },
      { type: 'text', text: 'be brief' },
    ])
    expect(body.messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'more' },
    ])
  })

  test('passes sampling fields through, keeping temperature 0 and clamping above 1', () => {
    expect(encode({ temperature: 0, topP: 0.5, topK: 3, stop: ['END'], user: 'u-1', maxTokens: 77, stream: true })).toMatchObject({
      max_tokens: 77,
      temperature: 0,
      top_p: 0.5,
      top_k: 3,
      stop_sequences: ['END'],
      metadata: { user_id: 'u-1' },
      stream: true,
    })
    expect(encode({ temperature: 1.7 }).temperature).toBe(1)
  })

  test('drops OpenAI-only fields it cannot express', () => {
    const body = encode({ seed: 7, presencePenalty: 1, frequencyPenalty: 1, includeUsage: true })
    expect(Object.keys(body).sort()).toEqual(['max_tokens', 'messages', 'model', 'stream'])
  })

  test('merges consecutive same-role messages so roles alternate', () => {
    const messages: Message[] = [
      { role: 'user', parts: [{ type: 'text', text: 'one' }] },
      { role: 'user', parts: [{ type: 'text', text: 'two' }] },
      { role: 'assistant', parts: [{ type: 'text', text: 'three' }] },
      { role: 'assistant', parts: [{ type: 'text', text: '' }] },
      { role: 'user', parts: [] },
      { role: 'assistant', parts: [{ type: 'text', text: 'four' }] },
    ]
    expect(encode({ messages }).messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'one' },
          { type: 'text', text: 'two' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'three' },
          { type: 'text', text: 'four' },
        ],
      },
    ])
  })

  test('puts tool results first in their user turn, even across merged messages', () => {
    const messages: Message[] = [
      {
        role: 'assistant',
        parts: [
          { type: 'tool_call', id: 'call_1', name: 'a', arguments: {} },
          { type: 'tool_call', id: 'call_2', name: 'b', arguments: { x: 1 } },
        ],
      },
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'here you go' },
          { type: 'tool_result', toolCallId: 'call_1', content: [{ type: 'text', text: 'A' }] },
        ],
      },
      { role: 'user', parts: [{ type: 'tool_result', toolCallId: 'call_2', content: [], isError: true }] },
    ]
    expect(encode({ messages }).messages).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'a', input: {} },
          { type: 'tool_use', id: 'call_2', name: 'b', input: { x: 1 } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: 'A' },
          { type: 'tool_result', tool_use_id: 'call_2', is_error: true },
          { type: 'text', text: 'here you go' },
        ],
      },
    ])
  })

  test('rewrites tool ids Anthropic would reject, the same way on both sides', () => {
    const messages: Message[] = [
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'functions.get_time:0', name: 'get_time', arguments: {} }] },
      { role: 'user', parts: [{ type: 'tool_result', toolCallId: 'functions.get_time:0', content: [{ type: 'text', text: 'noon' }] }] },
    ]
    const encoded = encode({ messages, tools: [{ name: 'get_time', parameters: { type: 'object' } }] }).messages as Array<{
      content: Array<Record<string, unknown>>
    }>
    expect(encoded[0]?.content[0]?.id).toBe('functions_get_time_0')
    expect(encoded[1]?.content[0]?.tool_use_id).toBe('functions_get_time_0')
  })

  test('encodes images: base64 blocks and URL sources', () => {
    const messages: Message[] = [
      {
        role: 'user',
        parts: [
          { type: 'image', mediaType: 'image/jpeg', data: '/9j/4AAQ' },
          { type: 'image_url', url: 'https://example.com/cat.png' },
          {
            type: 'tool_result',
            toolCallId: 't',
            content: [
              { type: 'text', text: 'see' },
              { type: 'image', mediaType: 'image/png', data: 'iVBO' },
            ],
          },
        ],
      },
    ]
    expect(encode({ messages }).messages).toEqual([
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 't',
            content: [
              { type: 'text', text: 'see' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBO' } },
            ],
          },
          { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
        ],
      },
    ])
  })

  test('keeps signed thinking and redacted thinking, drops unsigned thinking', () => {
    const messages: Message[] = [
      { role: 'user', parts: [{ type: 'text', text: 'q' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'thinking', text: 'from another provider' },
          { type: 'thinking', text: 'signed', signature: 'sig' },
          { type: 'redacted_thinking', data: 'opaque' },
          { type: 'text', text: 'answer' },
        ],
      },
      { role: 'assistant', parts: [{ type: 'thinking', text: 'only unsigned', signature: '' }] },
    ]
    expect(encode({ messages }).messages).toEqual([
      { role: 'user', content: 'q' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'signed', signature: 'sig' },
          { type: 'redacted_thinking', data: 'opaque' },
          { type: 'text', text: 'answer' },
        ],
      },
    ])
  })

  test('encodes tools, adding the object type Anthropic requires', () => {
    const body = encode({
      tools: [
        { name: 'noop', parameters: {} },
        { name: 'get_time', description: 'Time', parameters: { type: 'object', properties: { tz: { type: 'string' } } } },
      ],
    })
    expect(body.tools).toEqual([
      { name: 'noop', input_schema: { type: 'object' } },
      { name: 'get_time', description: 'Time', input_schema: { type: 'object', properties: { tz: { type: 'string' } } } },
    ])
    expect(body.tool_choice).toBeUndefined()
  })

  test.each([
    [{ type: 'auto' }, undefined, { type: 'auto' }],
    [{ type: 'required' }, undefined, { type: 'any' }],
    [{ type: 'none' }, undefined, { type: 'none' }],
    [{ type: 'tool', name: 't' }, false, { type: 'tool', name: 't', disable_parallel_tool_use: true }],
    [undefined, false, { type: 'auto', disable_parallel_tool_use: true }],
    [{ type: 'auto' }, true, { type: 'auto' }],
  ] as const)('tool choice %j with parallelToolCalls %j becomes %j', (toolChoice, parallelToolCalls, expected) => {
    const fields: Partial<ChatRequest> = { tools: [{ name: 't', parameters: { type: 'object' } }] }
    if (toolChoice !== undefined) fields.toolChoice = toolChoice
    if (parallelToolCalls !== undefined) fields.parallelToolCalls = parallelToolCalls
    expect(encode(fields).tool_choice).toEqual(expected)
  })

  test('sends no tool_choice without tools', () => {
    expect(encode({ toolChoice: { type: 'none' } }).tool_choice).toBeUndefined()
  })

  test('declares tools seen in the history when the client offered none, and forbids calling them', () => {
    const messages: Message[] = [
      { role: 'user', parts: [{ type: 'text', text: 'q' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'lookup', arguments: {} }] },
      {
        role: 'user',
        parts: [
          { type: 'tool_result', toolCallId: 'c1', name: 'lookup', content: [{ type: 'text', text: 'r' }] },
          { type: 'text', text: 'summarise' },
        ],
      },
    ]
    const body = encode({ messages })
    expect(body.tools).toEqual([{ name: 'lookup', input_schema: { type: 'object' } }])
    expect(body.tool_choice).toEqual({ type: 'none' })
  })

  test('thinking: enabled with a budget, sampling fields Anthropic forbids dropped', () => {
    const body = encode({ thinking: { enabled: true, budgetTokens: 2048 }, maxTokens: 8000, temperature: 0.2, topK: 5, topP: 0.5 })
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 })
    expect(body.max_tokens).toBe(8000)
    expect(body.temperature).toBeUndefined()
    expect(body.top_k).toBeUndefined()
    expect(body.top_p).toBeUndefined()
    expect(encode({ thinking: { enabled: true }, topP: 0.97 }).top_p).toBe(0.97)
  })

  test.each([
    [{ enabled: true }, undefined, 4096, DEFAULT_MAX_TOKENS],
    [{ enabled: true, budgetTokens: 100 }, undefined, 1024, DEFAULT_MAX_TOKENS],
    [{ enabled: true, effort: 'low' }, undefined, 1024, DEFAULT_MAX_TOKENS],
    [{ enabled: true, effort: 'high' }, undefined, 16384, 16384 + DEFAULT_MAX_TOKENS],
    [{ enabled: true, budgetTokens: 4096 }, 1000, 4096, 5096],
    [{ enabled: true, budgetTokens: 4096 }, 4096, 4096, 8192],
    [{ enabled: true, budgetTokens: 4096 }, 4097, 4096, 4097],
  ] as const)('thinking %j with max_tokens %j → budget %d, max_tokens %d (always above the budget)', (thinking, maxTokens, budget, max) => {
    const fields: Partial<ChatRequest> = { thinking }
    if (maxTokens !== undefined) fields.maxTokens = maxTokens
    const body = encode(fields)
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: budget })
    expect(body.max_tokens).toBe(max)
    expect(max).toBeGreaterThan(budget)
  })

  test('thinking disabled is sent as disabled and keeps sampling fields', () => {
    const body = encode({ thinking: { enabled: false }, temperature: 0.3 })
    expect(body.thinking).toEqual({ type: 'disabled' })
    expect(body.temperature).toBe(0.3)
  })

  test('system: one block as a string, several as blocks, empty ones dropped', () => {
    expect(encode({ system: [{ type: 'text', text: 'be brief' }] }).system).toBe('be brief')
    expect(
      encode({
        system: [
          { type: 'text', text: 'a' },
          { type: 'text', text: '' },
          { type: 'text', text: 'b' },
        ],
      }).system,
    ).toEqual([
      { type: 'text', text: 'a' },
      { type: 'text', text: 'b' },
    ])
    expect(encode({ system: [{ type: 'text', text: '' }] }).system).toBeUndefined()
  })

  test('response formats become a JSON instruction at the end of the system prompt', () => {
    const object = encode({ system: [{ type: 'text', text: 'be brief' }], responseFormat: { type: 'json_object' } }).system as Array<{ text: string }>
    expect(object[0]?.text).toBe('be brief')
    expect(object[1]?.text).toContain('JSON object')
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
    const withSchema = encode({ responseFormat: { type: 'json_schema', name: 'city', schema } }).system
    expect(withSchema).toContain(JSON.stringify(schema))
    expect(encode({ responseFormat: { type: 'text' } }).system).toBeUndefined()
  })
})
