import { describe, expect, test } from 'bun:test'
import type { ChatEvent } from '../../../src/chat/types.ts'
import { encodeStreamChunks, geminiCodec, toJsonArrayStream } from '../../../src/dialects/gemini/index.ts'
import { decodeSse } from '../../../src/upstream/sse.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { collect, randomlySplit } from '../../helpers/chunks.ts'

const context = { model: 'fallback-model', includeUsage: false }

async function* from(events: ChatEvent[]): AsyncGenerator<ChatEvent> {
  for (const event of events) yield event
}

const finish: ChatEvent = { type: 'finish', reason: 'stop', usage: { inputTokens: 3, outputTokens: 4 } }

describe('gemini encodeStream', () => {
  test('one data frame per delta, the finish chunk last, no terminator', async () => {
    const frames = await collect(
      geminiCodec.encodeStream(
        from([{ type: 'start', id: 'r1', model: 'gemini-2.5-flash' }, { type: 'text', text: 'Hel' }, { type: 'text', text: 'lo 👋' }, finish]),
        context,
      ),
    )
    expect(frames).toEqual([
      'data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Hel"}]},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"r1"}\n\n',
      'data: {"candidates":[{"content":{"role":"model","parts":[{"text":"lo 👋"}]},"index":0}],"modelVersion":"gemini-2.5-flash","responseId":"r1"}\n\n',
      'data: {"candidates":[{"content":{"role":"model","parts":[]},"index":0,"finishReason":"STOP"}],"modelVersion":"gemini-2.5-flash","responseId":"r1","usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":4,"totalTokenCount":7}}\n\n',
    ])
  })

  test('uses the context model when the upstream named none', async () => {
    const chunks = await collect(encodeStreamChunks(from([{ type: 'start', id: 'r', model: '' }, finish]), context))
    expect(chunks[0]?.modelVersion).toBe('fallback-model')
  })

  test('holds interleaved tool-call fragments and sends each call whole at its end', async () => {
    const chunks = await collect(
      encodeStreamChunks(
        from([
          { type: 'start', id: 'r', model: 'm' },
          { type: 'tool_call_start', index: 0, id: 'c0', name: 'a' },
          { type: 'tool_call_start', index: 1, id: 'c1', name: 'b' },
          { type: 'tool_call_delta', index: 0, argumentsDelta: '{"x":' },
          { type: 'tool_call_delta', index: 1, argumentsDelta: '{"y":"é' },
          { type: 'tool_call_delta', index: 0, argumentsDelta: '1}' },
          { type: 'tool_call_delta', index: 1, argumentsDelta: '"}' },
          { type: 'tool_call_end', index: 1 },
          { type: 'tool_call_end', index: 0 },
          { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 1, outputTokens: 1 } },
        ]),
        context,
      ),
    )
    expect(chunks.map((chunk) => chunk.candidates[0]?.content.parts)).toEqual([
      [{ functionCall: { id: 'c1', name: 'b', args: { y: 'é' } } }],
      [{ functionCall: { id: 'c0', name: 'a', args: { x: 1 } } }],
      [],
    ])
    expect(chunks[2]?.candidates[0]?.finishReason).toBe('STOP')
  })

  test('thinking goes out as thought parts; a signature rides on the next text or call', async () => {
    const chunks = await collect(
      encodeStreamChunks(
        from([
          { type: 'start', id: 'r', model: 'm' },
          { type: 'thinking', text: 'hmm' },
          { type: 'thinking_signature', signature: 'S1' },
          { type: 'text', text: 'answer' },
          { type: 'thinking_signature', signature: 'S2' },
          { type: 'tool_call_start', index: 0, id: 'c', name: 'f' },
          { type: 'tool_call_end', index: 0 },
          { type: 'thinking_signature', signature: 'S3' },
          { type: 'thinking', text: 'more' },
          { type: 'thinking_signature', signature: 'S4' },
          { type: 'redacted_thinking', data: 'x' },
          finish,
        ]),
        context,
      ),
    )
    expect(chunks.map((chunk) => chunk.candidates[0]?.content.parts)).toEqual([
      [{ text: 'hmm', thought: true }],
      [{ text: 'answer', thoughtSignature: 'S1' }],
      [{ functionCall: { id: 'c', name: 'f', args: {} }, thoughtSignature: 'S2' }],
      [{ text: '', thoughtSignature: 'S3' }],
      [{ text: 'more', thought: true }],
      [{ text: '', thoughtSignature: 'S4' }],
    ])
    expect(chunks.at(-1)?.candidates[0]?.finishReason).toBe('STOP')
  })

  test('usage with reasoning tokens becomes usageMetadata; length becomes MAX_TOKENS', async () => {
    const chunks = await collect(
      encodeStreamChunks(
        from([
          { type: 'start', id: 'r', model: 'm' },
          { type: 'finish', reason: 'length', usage: { inputTokens: 5, outputTokens: 9, reasoningTokens: 6 } },
        ]),
        context,
      ),
    )
    expect(chunks).toEqual([
      {
        candidates: [{ content: { role: 'model', parts: [] }, index: 0, finishReason: 'MAX_TOKENS' }],
        modelVersion: 'm',
        responseId: 'r',
        usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 3, totalTokenCount: 14, thoughtsTokenCount: 6 },
      },
    ])
  })

  test('arguments that are not a JSON object are a 502', async () => {
    const run = collect(
      encodeStreamChunks(
        from([
          { type: 'start', id: 'r', model: 'm' },
          { type: 'tool_call_start', index: 0, id: 'c', name: 'f' },
          { type: 'tool_call_delta', index: 0, argumentsDelta: '{"a":' },
          { type: 'tool_call_end', index: 0 },
        ]),
        context,
      ),
    )
    await expect(run).rejects.toMatchObject({ status: 502, kind: 'bad_gateway' })
  })

  test('events that end without a finish are a 502, not a silently complete stream', async () => {
    const error = await collect(
      encodeStreamChunks(
        from([
          { type: 'start', id: 'r', model: 'm' },
          { type: 'text', text: 'cut' },
        ]),
        context,
      ),
    ).catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(GatewayError)
    expect(error).toMatchObject({ status: 502 })
  })
})

describe('gemini stream encode → decode', () => {
  const events: ChatEvent[] = [
    { type: 'start', id: 'resp-1', model: 'gemini-2.5-pro' },
    { type: 'thinking', text: 'Let me think… 🤔' },
    { type: 'thinking', text: ' 考えています' },
    { type: 'thinking_signature', signature: 'SIG' },
    { type: 'text', text: 'Résumé: ' },
    { type: 'text', text: '完成 ✅' },
    { type: 'tool_call_start', index: 0, id: 'call_x', name: 'save', signature: 'SIG2' },
    { type: 'tool_call_delta', index: 0, argumentsDelta: '{"title":"Ünïcödé 📄"' },
    { type: 'tool_call_delta', index: 0, argumentsDelta: ',"n":[1,2]}' },
    { type: 'tool_call_end', index: 0 },
    { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 12, outputTokens: 40, reasoningTokens: 25, cachedInputTokens: 8 } },
  ]
  const expected: ChatEvent[] = [
    { type: 'start', id: 'resp-1', model: 'gemini-2.5-pro' },
    { type: 'thinking', text: 'Let me think… 🤔' },
    { type: 'thinking', text: ' 考えています' },
    { type: 'thinking_signature', signature: 'SIG' },
    { type: 'text', text: 'Résumé: ' },
    { type: 'text', text: '完成 ✅' },
    { type: 'tool_call_start', index: 0, id: 'call_x', name: 'save', signature: 'SIG2' },
    { type: 'tool_call_delta', index: 0, argumentsDelta: '{"title":"Ünïcödé 📄","n":[1,2]}' },
    { type: 'tool_call_end', index: 0 },
    { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 12, outputTokens: 40, reasoningTokens: 25, cachedInputTokens: 8 } },
  ]

  test('the decoder reads back what the encoder wrote, whatever the byte splits', async () => {
    const text = (await collect(geminiCodec.encodeStream(from(events), context))).join('')
    for (let seed = 1; seed <= 25; seed++) {
      expect(await collect(geminiCodec.decodeStream(decodeSse(randomlySplit(text, seed, 4))))).toEqual(expected)
    }
  })

  test('toJsonArrayStream writes the same chunks as one streamed JSON array', async () => {
    const frames = await collect(geminiCodec.encodeStream(from(events), context))
    const pieces = await collect(toJsonArrayStream(framesOf(frames)))
    expect(pieces[0]?.startsWith('[{')).toBe(true)
    expect(pieces.at(-1)).toBe(']')
    const array = JSON.parse(pieces.join('')) as unknown[]
    expect(array).toEqual(frames.map((frame) => JSON.parse(frame.slice('data: '.length))))
  })

  test('toJsonArrayStream of no frames is an empty array', async () => {
    expect((await collect(toJsonArrayStream(framesOf([])))).join('')).toBe('[]')
  })
})

async function* framesOf(frames: string[]): AsyncGenerator<string> {
  for (const frame of frames) yield frame
}
