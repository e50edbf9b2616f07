import { describe, expect, test } from 'bun:test'
import type { ChatRequest, ThinkingConfig } from '../../../src/chat/types.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { testCodec } from './fixture-files.ts'

const decode = (body: unknown): ChatRequest => testCodec().decodeRequest(body, {})
const user = (content: unknown) => ({ role: 'user', content })
const base = (extra: Record<string, unknown> = {}) => ({ model: 'm', messages: [user('hi')], ...extra })

function rejection(body: unknown): GatewayError {
  try {
    decode(body)
  } catch (error) {
    if (error instanceof GatewayError) return error
    throw error
  }
  throw new Error('expected the request to be refused')
}

describe('decodeRequest: messages', () => {
  test('system and developer messages become system text parts, in order, wherever they appear', () => {
    const request = decode({
      model: 'm',
      messages: [
        { role: 'developer', content: 'first' },
        user('hi'),
        {
          role: 'system',
          content: [
            { type: 'text', text: 'second' },
            { type: 'text', text: 'third' },
          ],
        },
      ],
    })
    expect(request.system).toEqual([
      { type: 'text', text: 'first' },
      { type: 'text', text: 'second' },
      { type: 'text', text: 'third' },
    ])
    expect(request.messages).toEqual([{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }])
  })

  test('an image given as a bare URL string is accepted', () => {
    const request = decode(base({ messages: [user([{ type: 'image_url', image_url: 'https://example.com/cat.jpg' }])] }))
    expect(request.messages[0]?.parts).toEqual([{ type: 'image_url', url: 'https://example.com/cat.jpg' }])
  })

  test('a data: URL with extra parameters keeps its media type and payload', () => {
    const url = 'data:image/webp;name=cat.webp;base64,UklGRg=='
    const request = decode(base({ messages: [user([{ type: 'image_url', image_url: { url } }])] }))
    expect(request.messages[0]?.parts).toEqual([{ type: 'image', mediaType: 'image/webp', data: 'UklGRg==' }])
  })

  test('an assistant turn keeps reasoning first, then text, then tool calls with parsed arguments', () => {
    const request = decode({
      model: 'm',
      messages: [
        user('q'),
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'a' },
            { type: 'refusal', refusal: 'b' },
          ],
          reasoning_content: 'think',
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"x":[1,"ü"]}' } }],
        },
      ],
    })
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      parts: [
        { type: 'thinking', text: 'think' },
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
        { type: 'tool_call', id: 'c1', name: 'f', arguments: { x: [1, 'ü'] } },
      ],
    })
  })

  test('empty tool arguments mean no arguments; already-parsed arguments are accepted', () => {
    const request = decode({
      model: 'm',
      messages: [
        user('q'),
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'f', arguments: '' } },
            { id: 'b', type: 'function', function: { name: 'g', arguments: { y: 2 } } },
          ],
        },
      ],
    })
    expect(request.messages[1]?.parts).toEqual([
      { type: 'tool_call', id: 'a', name: 'f', arguments: {} },
      { type: 'tool_call', id: 'b', name: 'g', arguments: { y: 2 } },
    ])
  })

  test('consecutive tool messages share one user message and get their tool name from the call', () => {
    const request = decode({
      model: 'm',
      messages: [
        user('q'),
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{}' } },
            { id: 'c2', type: 'function', function: { name: 'fetch', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c2', content: 'two' },
        { role: 'tool', tool_call_id: 'c1', content: '' },
        user('next'),
        { role: 'tool', tool_call_id: 'unknown', name: 'given', content: 'late' },
      ],
    })
    expect(request.messages.slice(2)).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'tool_result', toolCallId: 'c2', name: 'fetch', content: [{ type: 'text', text: 'two' }] },
          { type: 'tool_result', toolCallId: 'c1', name: 'lookup', content: [] },
        ],
      },
      { role: 'user', parts: [{ type: 'text', text: 'next' }] },
      { role: 'user', parts: [{ type: 'tool_result', toolCallId: 'unknown', name: 'given', content: [{ type: 'text', text: 'late' }] }] },
    ])
  })
})

describe('decodeRequest: legacy function calling', () => {
  test('functions and function_call become tools and a tool choice, one call per answer', () => {
    const fn = { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }
    const request = decode(base({ functions: [fn], function_call: { name: 'get_weather' } }))
    expect(request.tools).toEqual([{ name: 'get_weather', description: 'Weather', parameters: fn.parameters }])
    expect(request.toolChoice).toEqual({ type: 'tool', name: 'get_weather' })
    expect(request.parallelToolCalls).toBe(false)
    expect(request.legacyFunctions).toBe(true)
    expect(decode(base({ functions: [fn], function_call: 'none' })).toolChoice).toEqual({ type: 'none' })
    expect(decode(base()).legacyFunctions).toBeUndefined()
  })

  test('an assistant function_call and the function message answering it share an id', () => {
    const request = decode({
      model: 'm',
      messages: [
        user('weather in Paris and Rome?'),
        { role: 'assistant', content: null, function_call: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { role: 'function', name: 'get_weather', content: '{"temp":21}' },
        { role: 'assistant', content: null, function_call: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        { role: 'function', name: 'get_weather', content: '{"temp":25}' },
      ],
    })
    const calls = request.messages.flatMap((message) => message.parts.filter((part) => part.type === 'tool_call'))
    const results = request.messages.flatMap((message) => message.parts.filter((part) => part.type === 'tool_result'))
    expect(calls.map((call) => (call.type === 'tool_call' ? [call.id, call.arguments] : []))).toEqual([
      ['call_fn_1', { city: 'Paris' }],
      ['call_fn_2', { city: 'Rome' }],
    ])
    expect(results).toEqual([
      { type: 'tool_result', toolCallId: 'call_fn_1', name: 'get_weather', content: [{ type: 'text', text: '{"temp":21}' }] },
      { type: 'tool_result', toolCallId: 'call_fn_2', name: 'get_weather', content: [{ type: 'text', text: '{"temp":25}' }] },
    ])
  })
})

describe('decodeRequest: parameters', () => {
  test('temperature 0, penalties 0 and seed 0 stay 0', () => {
    const request = decode(base({ temperature: 0, top_p: 0, presence_penalty: 0, frequency_penalty: 0, seed: 0 }))
    expect(request).toMatchObject({ temperature: 0, topP: 0, presencePenalty: 0, frequencyPenalty: 0, seed: 0 })
  })

  test('absent and null parameters stay absent: no defaults are invented', () => {
    const request = decode(base({ temperature: null, stop: null, max_tokens: null, tools: null, user: null }))
    expect(request).toStrictEqual({ model: 'm', system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }], stream: false })
  })

  test('stop as a string or an array becomes a list', () => {
    expect(decode(base({ stop: 'END' })).stop).toEqual(['END'])
    expect(decode(base({ stop: ['a', '停'] })).stop).toEqual(['a', '停'])
  })

  test('max_completion_tokens wins over the legacy max_tokens', () => {
    expect(decode(base({ max_tokens: 10 })).maxTokens).toBe(10)
    expect(decode(base({ max_tokens: 10, max_completion_tokens: 20 })).maxTokens).toBe(20)
  })

  test('tool_choice forms map to canonical choices', () => {
    expect(decode(base({ tool_choice: 'none' })).toolChoice).toEqual({ type: 'none' })
    expect(decode(base({ tool_choice: 'auto' })).toolChoice).toEqual({ type: 'auto' })
    expect(decode(base({ tool_choice: 'required' })).toolChoice).toEqual({ type: 'required' })
    expect(decode(base({ tool_choice: { type: 'function', function: { name: 'f' } } })).toolChoice).toEqual({ type: 'tool', name: 'f' })
  })

  test('a tool without parameters gets an empty object schema', () => {
    const request = decode(base({ tools: [{ type: 'function', function: { name: 'ping' } }] }))
    expect(request.tools).toEqual([{ name: 'ping', parameters: { type: 'object', properties: {} } }])
  })

  test('response_format forms map to canonical formats', () => {
    expect(decode(base({ response_format: { type: 'text' } })).responseFormat).toEqual({ type: 'text' })
    expect(decode(base({ response_format: { type: 'json_object' } })).responseFormat).toEqual({ type: 'json_object' })
    const schema = { type: 'object', properties: { a: { type: 'number' } } }
    expect(decode(base({ response_format: { type: 'json_schema', json_schema: { name: 'out', schema, strict: true } } })).responseFormat).toEqual({
      type: 'json_schema',
      name: 'out',
      schema,
      strict: true,
    })
  })

  test.each<[string, ThinkingConfig]>([
    ['none', { enabled: false }],
    ['minimal', { enabled: true, effort: 'low' }],
    ['low', { enabled: true, effort: 'low' }],
    ['medium', { enabled: true, effort: 'medium' }],
    ['high', { enabled: true, effort: 'high' }],
    ['xhigh', { enabled: true, effort: 'high' }],
  ])('reasoning_effort %s becomes thinking %o', (effort, thinking) => {
    expect(decode(base({ reasoning_effort: effort })).thinking).toEqual(thinking)
  })

  test('top_k of 0 or -1 (vLLM for "disabled") means no top_k', () => {
    expect(decode(base({ top_k: 0 }))).not.toHaveProperty('topK')
    expect(decode(base({ top_k: -1 }))).not.toHaveProperty('topK')
  })

  test('stream, include_usage, user, parallel_tool_calls and top_k are carried', () => {
    const request = decode(base({ stream: true, stream_options: { include_usage: true }, user: 'u1', parallel_tool_calls: false, top_k: 40, n: 1 }))
    expect(request).toMatchObject({ stream: true, includeUsage: true, user: 'u1', parallelToolCalls: false, topK: 40 })
  })
})

describe('decodeRequest: refusals name the field', () => {
  test.each([
    ['a body that is not an object', [], 'request body must be an object'],
    ['a missing model', { messages: [user('x')] }, 'model must be a string'],
    ['empty messages', { model: 'm', messages: [] }, 'messages must be a non-empty array'],
    ['an unknown role', { model: 'm', messages: [user('x'), { role: 'robot', content: 'x' }] }, 'messages[1].role must be one of'],
    ['user content of the wrong type', { model: 'm', messages: [user('x'), user('y'), user(42)] }, 'messages[2].content must be a string or an array'],
    ['an unknown content part', { model: 'm', messages: [user([{ type: 'video', url: 'x' }])] }, 'messages[0].content[0].type must be'],
    ['audio input', { model: 'm', messages: [user([{ type: 'input_audio', input_audio: {} }])] }, 'messages[0].content[0].type "input_audio" is not supported'],
    [
      'a data: URL that is not base64',
      { model: 'm', messages: [user([{ type: 'image_url', image_url: { url: 'data:image/png,abc' } }])] },
      'messages[0].content[0].image_url.url is a data: URL that is not base64-encoded',
    ],
    [
      'a data: URL without a media type',
      { model: 'm', messages: [user([{ type: 'image_url', image_url: { url: 'data:;base64,AAAA' } }])] },
      'without a media type',
    ],
    [
      'an image URL of another scheme',
      { model: 'm', messages: [user([{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }])] },
      'messages[0].content[0].image_url.url must be an http(s) or data: URL',
    ],
    [
      'tool call arguments that are not JSON',
      { model: 'm', messages: [user('q'), { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":' } }] }] },
      'messages[1].tool_calls[0].function.arguments is not valid JSON',
    ],
    [
      'tool call arguments that are not an object',
      { model: 'm', messages: [user('q'), { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1]' } }] }] },
      'messages[1].tool_calls[0].function.arguments must be a JSON object',
    ],
    ['a tool message without tool_call_id', { model: 'm', messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id must be a string'],
    ['several choices', base({ n: 2 }), 'n must be 1'],
    [
      'legacy functions together with tools',
      base({ functions: [{ name: 'f' }], tools: [{ type: 'function', function: { name: 'g' } }] }),
      'functions and function_call cannot be combined with tools',
    ],
    ['a legacy function_call that is not a name', base({ functions: [{ name: 'f' }], function_call: 'required' }), 'function_call must be'],
    ['a function message without name', { model: 'm', messages: [{ role: 'function', content: 'x' }] }, 'messages[0].name must be a string'],
    ['a non-function tool', base({ tools: [{ type: 'web_search' }] }), 'tools[0].type must be "function"'],
    ['an unknown tool_choice', base({ tool_choice: 'any' }), 'tool_choice must be'],
    ['a temperature string', base({ temperature: '0.5' }), 'temperature must be a number'],
    ['a fractional max_tokens', base({ max_tokens: 1.5 }), 'max_tokens must be an integer'],
    ['a zero max_completion_tokens', base({ max_completion_tokens: 0 }), 'max_completion_tokens must be an integer of at least 1'],
    ['a stop list with a number', base({ stop: ['a', 1] }), 'stop must be a string or an array of strings'],
    ['an unknown response_format', base({ response_format: { type: 'yaml' } }), 'response_format.type must be'],
    ['an unknown reasoning_effort', base({ reasoning_effort: 'max' }), 'reasoning_effort must be one of'],
    ['stream_options that is not an object', base({ stream_options: true }), 'stream_options must be an object'],
  ])('refuses %s', (_name, body, message) => {
    const error = rejection(body)
    expect(error.status).toBe(400)
    expect(error.kind).toBe('invalid_request')
    expect(error.scope).toBe('request')
    expect(error.message).toContain(message)
  })
})
