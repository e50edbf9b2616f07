import { describe, expect, test } from 'bun:test'
import { Value } from '@sinclair/typebox/value'
import { AnthropicCountTokensRequest, AnthropicMessagesRequest } from '../../../src/dialects/anthropic/schema.ts'
import { fixtureJson } from './fixture.ts'

describe('Anthropic request schemas', () => {
  test.each(['request-text.json', 'request-tool-use.json', 'request-image.json', 'request-thinking.json', 'request-system-blocks.json'])(
    'accepts the recorded request %s',
    async (name) => {
      expect(Value.Check(AnthropicMessagesRequest, await fixtureJson(name))).toBe(true)
    },
  )

  test('accepts its own examples, unknown fields, and a missing max_tokens', () => {
    for (const example of AnthropicMessagesRequest.examples as unknown[]) expect(Value.Check(AnthropicMessagesRequest, example)).toBe(true)
    for (const example of AnthropicCountTokensRequest.examples as unknown[]) expect(Value.Check(AnthropicCountTokensRequest, example)).toBe(true)
    expect(Value.Check(AnthropicMessagesRequest, { model: 'm', messages: [{ role: 'user', content: 'hi' }], service_tier: 'auto' })).toBe(true)
  })

  test.each([
    ['no model', { messages: [] }],
    ['messages not an array', { model: 'm', messages: {} }],
    ['a message without role', { model: 'm', messages: [{ content: 'hi' }] }],
    ['a fractional max_tokens', { model: 'm', messages: [], max_tokens: 1.5 }],
  ])('rejects a body with %s', (_name, body) => {
    expect(Value.Check(AnthropicMessagesRequest, body)).toBe(false)
  })

  test('count_tokens needs model and messages but no max_tokens', () => {
    expect(Value.Check(AnthropicCountTokensRequest, { model: 'm', messages: [{ role: 'user', content: 'hi' }] })).toBe(true)
    expect(Value.Check(AnthropicCountTokensRequest, { model: 'm' })).toBe(false)
  })
})
