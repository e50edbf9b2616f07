import { describe, expect, test } from 'bun:test'
import type { ChatEvent } from '../../../src/chat/types.ts'
import { createGeminiCodec, geminiCodec } from '../../../src/dialects/gemini/index.ts'
import { decodeSse, type SseEvent } from '../../../src/upstream/sse.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { collect, randomlySplit } from '../../helpers/chunks.ts'
import { fixtureNames, readJson, readText, withGeneratedIds } from './fixtures.ts'

type Expected = { events: ChatEvent[] } | { error: { status: number; kind: string; scope: string; retryAfterMs?: number; message: string } }

const SEEDS = Array.from({ length: 40 }, (_, index) => index + 1)

async function outcome(text: string, seed: number): Promise<Expected> {
  try {
    return { events: withGeneratedIds(await collect(geminiCodec.decodeStream(decodeSse(randomlySplit(text, seed, 5))))) }
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error
    const { status, kind, scope, retryAfterMs, message } = error
    return { error: retryAfterMs === undefined ? { status, kind, scope, message } : { status, kind, scope, retryAfterMs, message } }
  }
}

async function* events(...data: string[]): AsyncGenerator<SseEvent> {
  for (const item of data) yield { data: item }
}

describe('gemini golden streams, split at random byte offsets', () => {
  for (const name of fixtureNames('streams', '.sse')) {
    test(`${name}: same events or error for ${SEEDS.length} different splits`, async () => {
      const text = await readText('streams', `${name}.sse`)
      const expected = await readJson<Expected>('streams', `${name}.expected.json`)
      for (const seed of SEEDS) expect({ seed, ...(await outcome(text, seed)) }).toEqual({ seed, ...expected })
    })
  }
})

describe('gemini decodeStream', () => {
  test('a text part carrying a signature yields the signature before the text', async () => {
    const chunk = { candidates: [{ content: { role: 'model', parts: [{ text: 'Hi', thoughtSignature: 'S' }] }, finishReason: 'STOP' }] }
    const out = await collect(geminiCodec.decodeStream(events(JSON.stringify(chunk))))
    expect(out.slice(1)).toEqual([
      { type: 'thinking_signature', signature: 'S' },
      { type: 'text', text: 'Hi' },
      { type: 'finish', reason: 'stop', usage: { inputTokens: 0, outputTokens: 0 } },
    ])
  })

  test('the finish is emitted at the end, with the last usage, even when the finishReason chunk came first', async () => {
    const out = await collect(
      geminiCodec.decodeStream(
        events(
          JSON.stringify({
            candidates: [{ content: { parts: [{ text: 'a' }] }, finishReason: 'MAX_TOKENS' }],
            usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1 },
          }),
          JSON.stringify({ usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 2, thoughtsTokenCount: 3 } }),
        ),
      ),
    )
    expect(out.at(-1)).toEqual({ type: 'finish', reason: 'length', usage: { inputTokens: 1, outputTokens: 5, reasoningTokens: 3 } })
  })

  const failures: Array<[string, string[], number, string]> = [
    ['a frame that is not JSON', ['{"candidates":'], 502, 'not JSON'],
    ['a frame that is an array', ['[1]'], 502, 'not a JSON object'],
    ['an OpenAI-style [DONE]', ['[DONE]'], 502, 'not JSON'],
    ['an empty stream', [], 502, 'upstream stream ended before it finished'],
    ['an error event', ['{"error":{"code":500,"message":"Internal error encountered.","status":"INTERNAL"}}'], 500, 'Internal error encountered.'],
  ]
  for (const [name, data, status, message] of failures) {
    test(`throws a GatewayError on ${name}`, async () => {
      const error = await collect(geminiCodec.decodeStream(events(...data))).catch((thrown: unknown) => thrown)
      expect(error).toBeInstanceOf(GatewayError)
      expect(error).toMatchObject({ status, scope: 'member' })
      expect((error as GatewayError).message).toContain(message)
    })
  }

  test('a quota error event mid-stream carries the reset time from the injected clock', async () => {
    const codec = createGeminiCodec({ now: () => Date.parse('2025-01-15T20:00:00Z') })
    const quota = {
      error: {
        code: 429,
        message: 'Quota exceeded',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'QUOTA_EXHAUSTED' }],
      },
    }
    const error = await collect(codec.decodeStream(events(JSON.stringify(quota)))).catch((thrown: unknown) => thrown)
    expect(error).toMatchObject({ status: 429, kind: 'quota_exhausted', retryAfterMs: 12 * 3_600_000 })
  })
})
