import { describe, expect, test } from 'bun:test'
import type { ChatRequest } from '../../../src/chat/types.ts'
import { decodeAnthropicRequest } from '../../../src/dialects/anthropic/request-decode.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { fixtureJson } from './fixture.ts'

const decode = (body: unknown): ChatRequest => decodeAnthropicRequest(body, {})

function rejection(body: unknown): GatewayError {
  try {
    decode(body)
  } catch (error) {
    if (error instanceof GatewayError) return error
    throw error
  }
  throw new Error('expected a rejection')
}

const base = { model: 'claude-sonnet-4-5', max_tokens: 100 }
const user = (content: unknown) => ({ ...base, messages: [{ role: 'user', content }] })

describe('decodeAnthropicRequest', () => {
  test('decodes a plain text conversation with every sampling field', async () => {
    const request = decode(await fixtureJson('request-text.json'))
    expect(request).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      system: [{ type: 'text', text: "You are a terse assistant. Answer in the user's language." }],
      messages: [
        { role: 'user', parts: [{ type: 'text', text: '用一句话介绍一下东京 🗼' }] },
        { role: 'assistant', parts: [{ type: 'text', text: '东京是日本的首都，也是世界上人口最多的都市圈之一。' }] },
        { role: 'user', parts: [{ type: 'text', text: 'And in English? 🙂' }] },
      ],
      maxTokens: 1024,
      temperature: 0,
      stop: ['\n\nHuman:', 'END'],
      user: 'user-7f3a',
      stream: false,
    })
  })

  test('keeps temperature 0 as 0', () => {
    expect(decode({ ...user('hi'), temperature: 0 }).temperature).toBe(0)
  })

  test('keeps each system block as its own text part', async () => {
    const request = decode(await fixtureJson('request-system-blocks.json'))
    expect(request.system).toEqual([
      { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude." },
      { type: 'text', text: 'Working directory: /home/dev/project\nPlatform: linux' },
    ])
  })

  test("keeps Claude Code's mid-conversation system message at its position", async () => {
    const { body } = (await fixtureJson('claude-code-request.json')) as { body: unknown }
    const request = decode(body)
    expect(request.messages.map((message) => message.role)).toEqual(['user', 'system'])
    expect(request.messages[1]?.parts).toEqual([{ type: 'text', text: expect.stringContaining('Agents you can start') }])
    expect(request.system).toHaveLength(3)
    expect(request.thinking).toEqual({ enabled: true })
  })

  test('decodes parallel tool calls, tool results with names, errors and tool settings', async () => {
    const request = decode(await fixtureJson('request-tool-use.json'))
    expect(request.tools?.map((tool) => tool.name)).toEqual(['get_weather', 'get_time'])
    expect(request.tools?.[0]?.description).toBe('Get the current weather in a given location')
    expect(request.tools?.[1]?.parameters).toMatchObject({ additionalProperties: false, required: ['timezone'] })
    expect(request.toolChoice).toEqual({ type: 'auto' })
    expect(request.parallelToolCalls).toBe(false)
    expect(request.stream).toBe(true)
    expect(request.messages[1]?.parts).toEqual([
      { type: 'text', text: "I'll check both for you." },
      { type: 'tool_call', id: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', arguments: { location: 'San Francisco, CA', unit: 'celsius' } },
      { type: 'tool_call', id: 'toolu_01B2XhqkHPYqSGC6SynBqPwB', name: 'get_time', arguments: { timezone: 'America/New_York' } },
    ])
    expect(request.messages[2]?.parts).toEqual([
      { type: 'tool_result', toolCallId: 'toolu_01A09q90qw90lq917835lq9', name: 'get_weather', content: [{ type: 'text', text: '15 degrees, foggy' }] },
      {
        type: 'tool_result',
        toolCallId: 'toolu_01B2XhqkHPYqSGC6SynBqPwB',
        name: 'get_time',
        content: [
          { type: 'text', text: 'Current time: 14:02 EDT' },
          { type: 'text', text: '(source: worldclock)' },
        ],
      },
    ])
    expect(request.messages[4]?.parts[0]).toEqual({
      type: 'tool_result',
      toolCallId: 'toolu_01C3YirlIQZrTHD7TzoCrQxC',
      name: 'get_weather',
      content: [{ type: 'text', text: 'service unavailable' }],
      isError: true,
    })
  })

  test('a tool result without an earlier tool_use has no name', () => {
    const request = decode(
      user([{ type: 'tool_result', tool_use_id: 'toolu_x', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }] }]),
    )
    expect(request.messages[0]?.parts).toEqual([
      { type: 'tool_result', toolCallId: 'toolu_x', content: [{ type: 'image', mediaType: 'image/png', data: 'AAAA' }] },
    ])
  })

  test('decodes base64 images and URL images', async () => {
    const request = decode(await fixtureJson('request-image.json'))
    expect(request.messages[0]?.parts).toEqual([
      { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==' },
      { type: 'image_url', url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg' },
      { type: 'text', text: 'Compare these two images.' },
    ])
    expect(request.topP).toBe(0.9)
    expect(request.topK).toBe(40)
  })

  test('decodes signed thinking, redacted thinking and the thinking budget', async () => {
    const request = decode(await fixtureJson('request-thinking.json'))
    expect(request.thinking).toEqual({ enabled: true, budgetTokens: 10000 })
    const parts = request.messages[1]?.parts ?? []
    expect(parts[0]).toMatchObject({ type: 'thinking', text: expect.stringContaining('calculator'), signature: expect.stringMatching(/^EqQB/) })
    expect(parts[1]).toMatchObject({ type: 'redacted_thinking', data: expect.stringMatching(/^EmwK/) })
  })

  test.each([
    [{ type: 'disabled' }, { enabled: false }],
    [{ type: 'adaptive' }, { enabled: true }],
    [
      { type: 'enabled', budget_tokens: 2048 },
      { enabled: true, budgetTokens: 2048 },
    ],
  ])('thinking %j becomes %j', (thinking, expected) => {
    expect(decode({ ...user('hi'), thinking }).thinking).toEqual(expected)
  })

  test.each([
    [{ type: 'auto' }, { type: 'auto' }],
    [{ type: 'any' }, { type: 'required' }],
    [{ type: 'none' }, { type: 'none' }],
    [
      { type: 'tool', name: 'get_time' },
      { type: 'tool', name: 'get_time' },
    ],
  ])('tool_choice %j becomes %j', (toolChoice, expected) => {
    const request = decode({ ...user('hi'), tools: [{ name: 'get_time', input_schema: { type: 'object' } }], tool_choice: toolChoice })
    expect(request.toolChoice).toEqual(expected as ChatRequest['toolChoice'])
    expect(request.parallelToolCalls).toBeUndefined()
  })

  test('leaves max_tokens unset when the client sent none, and takes stream from the body', () => {
    const request = decode({ model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true })
    expect(request.maxTokens).toBeUndefined()
    expect(request.stream).toBe(true)
  })

  test('ignores fields it has no use for', () => {
    const request = decode({
      ...user([{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' }, citations: null }]),
      service_tier: 'auto',
      container: null,
    })
    expect(request.messages[0]?.parts).toEqual([{ type: 'text', text: 'hi' }])
  })

  test.each([
    ['a missing model', { messages: [] }, 'model is required'],
    ['a non-array messages', { model: 'm', messages: 'hi' }, 'messages must be an array'],
    ['an unknown role', { model: 'm', messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].role must be "user", "assistant" or "system", got "tool"'],
    [
      'an image in a mid-conversation system message',
      { model: 'm', messages: [{ role: 'system', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'x' } }] }] },
      'messages[0].content[0].type must be "text" (system blocks are text only)',
    ],
    ['a missing content', { model: 'm', messages: [{ role: 'user' }] }, 'messages[0].content must be a string or an array of content blocks'],
    [
      'a document block',
      user([{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' } }]),
      'messages[0].content[0]: document blocks are not supported',
    ],
    [
      'an unknown block',
      user([
        { type: 'text', text: 'a' },
        { type: 'server_tool_use', id: 'x' },
      ]),
      'messages[0].content[1].type "server_tool_use" is not supported',
    ],
    ['a text block without text', user([{ type: 'text' }]), 'messages[0].content[0].text must be a string, got undefined'],
    [
      'an image with a file source',
      user([{ type: 'image', source: { type: 'file', file_id: 'f' } }]),
      'messages[0].content[0].source.type "file" is not supported',
    ],
    [
      'a tool_use with a string input',
      { ...base, messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'n', input: '{}' }] }] },
      'messages[0].content[0].input must be an object, got "{}"',
    ],
    ['a tool_result without id', user([{ type: 'tool_result', content: 'x' }]), 'messages[0].content[0].tool_use_id must be a string'],
    [
      'a URL image inside a tool_result',
      user([{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'image', source: { type: 'url', url: 'https://x/y.png' } }] }]),
      'messages[0].content[0].content[0]: image URLs inside tool_result are not supported',
    ],
    ['a zero max_tokens', { ...user('hi'), max_tokens: 0 }, 'max_tokens must be an integer of at least 1, got 0'],
    ['a fractional max_tokens', { ...user('hi'), max_tokens: 1.5 }, 'max_tokens must be an integer of at least 1'],
    ['a string temperature', { ...user('hi'), temperature: '0.5' }, 'temperature must be a number, got "0.5"'],
    ['a non-string stop sequence', { ...user('hi'), stop_sequences: ['a', 1] }, 'stop_sequences[1] must be a string'],
    ['a tool without input_schema', { ...user('hi'), tools: [{ name: 't' }] }, 'tools[0].input_schema must be an object'],
    [
      'a server tool',
      { ...user('hi'), tools: [{ type: 'web_search_20250305', name: 'web_search' }] },
      'tools[0]: server tool type "web_search_20250305" is not supported',
    ],
    ['a bad tool_choice', { ...user('hi'), tool_choice: { type: 'required' } }, 'tool_choice.type must be "auto", "any", "tool" or "none", got "required"'],
    ['a tool choice without name', { ...user('hi'), tool_choice: { type: 'tool' } }, 'tool_choice.name must be a string'],
    [
      'a thinking budget of zero',
      { ...user('hi'), thinking: { type: 'enabled', budget_tokens: 0 } },
      'thinking.budget_tokens must be an integer of at least 1',
    ],
    ['an unknown thinking type', { ...user('hi'), thinking: { type: 'on' } }, 'thinking.type must be "enabled", "adaptive" or "disabled"'],
    ['a system block that is not text', { ...user('hi'), system: [{ type: 'image' }] }, 'system[0].type must be "text"'],
    ['a numeric user_id', { ...user('hi'), metadata: { user_id: 5 } }, 'metadata.user_id must be a string'],
    ['a non-object body', [1, 2], 'body must be an object, got an array'],
  ])('rejects %s with a 400 naming the field', (_name, body, message) => {
    const error = rejection(body)
    expect(error.status).toBe(400)
    expect(error.kind).toBe('invalid_request')
    expect(error.scope).toBe('request')
    expect(error.message).toStartWith(message)
  })
})
