import { describe, expect, test } from 'bun:test'
import { Value } from '@sinclair/typebox/value'
import { GeminiGenerateContentRequest } from '../../../src/dialects/gemini/index.ts'
import { geminiCodec } from '../../../src/dialects/gemini/index.ts'
import { fixtureNames, readJson } from './fixtures.ts'

describe('GeminiGenerateContentRequest schema', () => {
  test('its documented example is valid and decodes', () => {
    const examples = GeminiGenerateContentRequest.examples as unknown[]
    expect(examples.length).toBeGreaterThan(0)
    for (const example of examples) {
      expect(Value.Check(GeminiGenerateContentRequest, example)).toBe(true)
      expect(geminiCodec.decodeRequest(example, { model: 'gemini-2.5-flash' }).messages.length).toBe(1)
    }
  })

  test('accepts every golden request body, unknown fields included', async () => {
    for (const name of fixtureNames('requests', '.json')) {
      const { wire } = await readJson<{ wire: unknown }>('requests', `${name}.json`)
      expect(Value.Check(GeminiGenerateContentRequest, wire)).toBe(true)
    }
    expect(Value.Check(GeminiGenerateContentRequest, { contents: [], safetySettings: [], cachedContent: 'x' })).toBe(true)
  })

  test('rejects a body without contents, or contents without parts', () => {
    expect(Value.Check(GeminiGenerateContentRequest, {})).toBe(false)
    expect(Value.Check(GeminiGenerateContentRequest, { contents: [{ role: 'user' }] })).toBe(false)
    expect(Value.Check(GeminiGenerateContentRequest, { contents: 'hi' })).toBe(false)
  })
})
