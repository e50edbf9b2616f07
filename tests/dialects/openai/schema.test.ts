import { expect, test } from 'bun:test'
import { Value } from '@sinclair/typebox/value'
import { OpenAIChatRequest } from '../../../src/dialects/openai/schema.ts'
import { readFixture } from './fixture-files.ts'

test('every fixture request and the schema example pass the schema', () => {
  for (const name of ['text.json', 'tool-calls.json', 'image-input.json', 'multi-turn-tools.json', 'reasoning.json', 'length-stop.json']) {
    expect({ name, ok: Value.Check(OpenAIChatRequest, readFixture<{ request: unknown }>(name).request) }).toEqual({ name, ok: true })
  }
  for (const example of OpenAIChatRequest.examples as unknown[]) expect(Value.Check(OpenAIChatRequest, example)).toBe(true)
})

test('unknown fields and nulls for optional fields pass; the frame is enforced', () => {
  const ok = { model: 'm', messages: [{ role: 'user', content: 'x', extra: 1 }], enable_thinking: true, temperature: null, stop: null }
  expect(Value.Check(OpenAIChatRequest, ok)).toBe(true)
  expect(Value.Check(OpenAIChatRequest, { messages: [{ role: 'user', content: 'x' }] })).toBe(false)
  expect(Value.Check(OpenAIChatRequest, { model: 'm', messages: [] })).toBe(false)
  expect(Value.Check(OpenAIChatRequest, { model: 'm', messages: [{ content: 'x' }] })).toBe(false)
  expect(Value.Check(OpenAIChatRequest, { model: 'm', messages: ['x'] })).toBe(false)
  expect(Value.Check(OpenAIChatRequest, { model: 'm', messages: [{ role: 'user' }], stream: 'yes' })).toBe(false)
})
