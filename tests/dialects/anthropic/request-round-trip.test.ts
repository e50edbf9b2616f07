import { describe, expect, test } from 'bun:test'
import type { ChatRequest } from '../../../src/chat/types.ts'
import { decodeAnthropicRequest } from '../../../src/dialects/anthropic/request-decode.ts'
import { encodeAnthropicRequest } from '../../../src/dialects/anthropic/request-encode.ts'
import { fixtureJson } from './fixture.ts'

const decode = (body: unknown) => decodeAnthropicRequest(body, {})

describe('Anthropic request round trips', () => {
  test.each(['request-text.json', 'request-tool-use.json', 'request-image.json', 'request-thinking.json'])(
    'golden %s survives decode → encode unchanged',
    async (name) => {
      const body = await fixtureJson(name)
      expect(encodeAnthropicRequest(decode(body))).toEqual(body)
    },
  )

  test('golden request-system-blocks.json loses only its cache_control markers', async () => {
    const body = await fixtureJson('request-system-blocks.json')
    expect(encodeAnthropicRequest(decode(body))).toEqual(await fixtureJson('request-system-blocks.expected.json'))
  })

  // Canonical requests every Anthropic body can express: encode → decode gives them back.
  const user = (text: string) => ({ role: 'user' as const, parts: [{ type: 'text' as const, text }] })
  const table: Array<[string, ChatRequest]> = [
    ['temperature 0', { model: 'm', system: [], messages: [user('hi')], temperature: 0, maxTokens: 10, stream: false }],
    [
      'stop sequences with newlines and unicode',
      { model: 'm', system: [], messages: [user('count')], stop: ['\n\nHuman:', '。', '🛑'], maxTokens: 5, stream: true },
    ],
    [
      'emoji and CJK text',
      {
        model: 'm',
        system: [{ type: 'text', text: '你是一个助手 🤖' }],
        messages: [user('👨‍👩‍👧‍👦 家族 가족 семья'), { role: 'assistant', parts: [{ type: 'text', text: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓' }] }, user('ok')],
        maxTokens: 100,
        stream: false,
      },
    ],
    [
      'system block arrays',
      {
        model: 'm',
        system: [
          { type: 'text', text: 'first' },
          { type: 'text', text: 'second\nline' },
        ],
        messages: [user('hi')],
        maxTokens: 100,
        stream: false,
      },
    ],
    [
      'tool ids across turns',
      {
        model: 'm',
        system: [],
        messages: [
          user('weather in Paris and Rome?'),
          {
            role: 'assistant',
            parts: [
              { type: 'tool_call', id: 'toolu_01', name: 'weather', arguments: { city: 'Paris' } },
              { type: 'tool_call', id: 'toolu_02', name: 'weather', arguments: { city: 'Rome', nested: { list: [1, 'two', null] } } },
            ],
          },
          {
            role: 'user',
            parts: [
              { type: 'tool_result', toolCallId: 'toolu_01', name: 'weather', content: [{ type: 'text', text: '18°C' }] },
              { type: 'tool_result', toolCallId: 'toolu_02', name: 'weather', content: [{ type: 'text', text: 'error' }], isError: true },
            ],
          },
          {
            role: 'assistant',
            parts: [
              { type: 'text', text: 'Paris is 18°C.' },
              { type: 'tool_call', id: 'toolu_03', name: 'weather', arguments: { city: 'Rome' } },
            ],
          },
          { role: 'user', parts: [{ type: 'tool_result', toolCallId: 'toolu_03', name: 'weather', content: [{ type: 'text', text: '21°C' }] }] },
        ],
        tools: [{ name: 'weather', description: 'Weather by city', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
        toolChoice: { type: 'required' },
        parallelToolCalls: false,
        maxTokens: 300,
        stream: true,
      },
    ],
    [
      'thinking with signatures',
      {
        model: 'm',
        system: [],
        messages: [
          user('2+2?'),
          {
            role: 'assistant',
            parts: [
              { type: 'thinking', text: 'easy', signature: 'c2ln' },
              { type: 'redacted_thinking', data: 'cmVk' },
              { type: 'text', text: '4' },
            ],
          },
          user('and 3+3?'),
        ],
        thinking: { enabled: true, budgetTokens: 2000 },
        maxTokens: 5000,
        topP: 0.99,
        stream: true,
      },
    ],
    ['user id and top_k', { model: 'm', system: [], messages: [user('hi')], user: 'session-42', topK: 1, topP: 0.1, maxTokens: 1, stream: false }],
  ]

  test.each(table)('%s: canonical → encode → decode is the identity', (_name, request) => {
    expect(decode(encodeAnthropicRequest(request))).toEqual(request)
  })

  test.each(table)('%s: encode is stable (encode ∘ decode ∘ encode = encode)', (_name, request) => {
    const body = encodeAnthropicRequest(request)
    expect(encodeAnthropicRequest(decode(JSON.parse(JSON.stringify(body))))).toEqual(body)
  })
})
