import { describe, expect, test } from 'bun:test'
import type { ChatResponse } from '../../../src/chat/types.ts'
import { createGeminiCodec, geminiCodec } from '../../../src/dialects/gemini/index.ts'
import { encodeResponse } from '../../../src/dialects/gemini/response.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { fixtureNames, readJson, withGeneratedIds } from './fixtures.ts'

interface ResponseFixture {
  wire: Record<string, unknown>
  canonical: ChatResponse
  reencoded?: Record<string, unknown>
}

function decodeFailure(body: unknown): GatewayError {
  try {
    geminiCodec.decodeResponse(body)
  } catch (error) {
    if (error instanceof GatewayError) return error
    throw error
  }
  throw new Error('expected a GatewayError')
}

describe('gemini golden responses', () => {
  for (const name of fixtureNames('responses', '.json')) {
    test(`${name}: decodes to the canonical response and encodes back`, async () => {
      const fixture = await readJson<ResponseFixture>('responses', `${name}.json`)
      const canonical = geminiCodec.decodeResponse(fixture.wire)
      expect(withGeneratedIds(canonical)).toEqual(fixture.canonical)
      expect(withGeneratedIds(geminiCodec.encodeResponse(canonical))).toEqual(fixture.reencoded ?? fixture.wire)
    })
  }
})

describe('gemini decodeResponse', () => {
  test('finish reasons map to canonical ones', () => {
    const reason = (finishReason: string) =>
      geminiCodec.decodeResponse({ candidates: [{ content: { role: 'model', parts: [{ text: 'x' }] }, finishReason }] }).finishReason
    expect(reason('STOP')).toBe('stop')
    expect(reason('MAX_TOKENS')).toBe('length')
    for (const filtered of ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY']) expect(reason(filtered)).toBe('content_filter')
    for (const other of ['OTHER', 'LANGUAGE', 'MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'FINISH_REASON_UNSPECIFIED'])
      expect(reason(other)).toBe('stop')
  })

  test('a missing responseId is generated and a missing modelVersion is empty', () => {
    const response = geminiCodec.decodeResponse({ candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: 'STOP' }] })
    expect(response.id).toMatch(/^resp_[0-9a-f]{24}$/)
    expect(response.model).toBe('')
    expect(response.usage).toEqual({ inputTokens: 0, outputTokens: 0 })
  })

  test('an inline image in the answer is an image part; unknown parts are left out', () => {
    const response = geminiCodec.decodeResponse({
      candidates: [
        { content: { parts: [{ inlineData: { mimeType: 'image/png', data: 'iVBO' } }, { executableCode: { code: 'print(1)' } }] }, finishReason: 'STOP' },
      ],
    })
    expect(response.parts).toEqual([{ type: 'image', mediaType: 'image/png', data: 'iVBO' }])
  })

  const garbage: Array<[string, unknown, string]> = [
    ['not an object', 'hello', 'not a JSON object'],
    ['no candidates and no feedback', { usageMetadata: {} }, 'no candidates'],
    ['candidates not an array', { candidates: {} }, 'candidates that are not an array'],
    ['parts not an array', { candidates: [{ content: { parts: 'x' } }] }, 'parts that are not an array'],
    ['call without a name', { candidates: [{ content: { parts: [{ functionCall: { args: {} } }] } }] }, 'functionCall without a name'],
    ['call args not an object', { candidates: [{ content: { parts: [{ functionCall: { name: 'f', args: 'x' } }] } }] }, 'args that are not an object'],
  ]
  for (const [name, body, message] of garbage) {
    test(`garbage is a 502: ${name}`, () => {
      const error = decodeFailure(body)
      expect(error.status).toBe(502)
      expect(error.kind).toBe('bad_gateway')
      expect(error.scope).toBe('member')
      expect(error.message).toContain(message)
    })
  }

  test('an error body in a 200 answer is classified like an error response', () => {
    const codec = createGeminiCodec({ now: () => 0 })
    expect(() => codec.decodeResponse({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } })).toThrow(
      expect.objectContaining({ status: 503, kind: 'unavailable', scope: 'member' }),
    )
  })
})

describe('gemini encodeResponse', () => {
  test('writes thoughts as thought parts, reasoning tokens as thoughtsTokenCount, and cached tokens', () => {
    const body = geminiCodec.encodeResponse({
      id: 'r1',
      model: 'gemini-2.5-flash',
      parts: [
        { type: 'thinking', text: 'pondering' },
        { type: 'text', text: 'answer' },
        { type: 'tool_call', id: 'c1', name: 'f', arguments: { a: [1] } },
      ],
      finishReason: 'tool_calls',
      usage: { inputTokens: 10, outputTokens: 30, reasoningTokens: 20, cachedInputTokens: 4 },
    })
    expect(body).toEqual({
      candidates: [
        {
          content: {
            role: 'model',
            parts: [{ text: 'pondering', thought: true }, { text: 'answer' }, { functionCall: { id: 'c1', name: 'f', args: { a: [1] } } }],
          },
          finishReason: 'STOP',
          index: 0,
        },
      ],
      usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 10, totalTokenCount: 40, thoughtsTokenCount: 20, cachedContentTokenCount: 4 },
      modelVersion: 'gemini-2.5-flash',
      responseId: 'r1',
    })
  })

  test('length and content_filter become MAX_TOKENS and SAFETY', () => {
    const reason = (finishReason: ChatResponse['finishReason']) =>
      encodeResponse({ id: 'r', model: 'm', parts: [], finishReason, usage: { inputTokens: 0, outputTokens: 0 } }).candidates[0]?.finishReason
    expect(reason('length')).toBe('MAX_TOKENS')
    expect(reason('content_filter')).toBe('SAFETY')
    expect(reason('stop')).toBe('STOP')
  })
})
