import { describe, expect, test } from 'bun:test'
import type { ChatEvent } from '../../../src/chat/types.ts'
import { decodeSse } from '../../../src/upstream/sse.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { collect, randomlySplit, streamOf } from '../../helpers/chunks.ts'
import { decodeSplitStream, readFixture, readFixtureText, testCodec } from './fixture-files.ts'

const HEADER = { id: 'chatcmpl-s1', object: 'chat.completion.chunk', created: 1, model: 'm' }
const frame = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`
const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null, extra: Record<string, unknown> = {}) =>
  frame({ ...HEADER, choices: [{ index: 0, delta, finish_reason }], ...extra })
const tool = (fragment: Record<string, unknown>) => chunk({ tool_calls: [fragment] })
const usageChunk = (prompt: number, completion: number) =>
  frame({ ...HEADER, choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } })
const DONE = 'data: [DONE]\n\n'

const decodeText = (text: string): Promise<ChatEvent[]> => collect(testCodec().decodeStream(decodeSse(streamOf([new TextEncoder().encode(text)]))))

async function failure(text: string): Promise<{ error: GatewayError; before: ChatEvent[] }> {
  const before: ChatEvent[] = []
  try {
    for await (const event of testCodec().decodeStream(decodeSse(streamOf([new TextEncoder().encode(text)])))) before.push(event)
  } catch (error) {
    if (error instanceof GatewayError) return { error, before }
    throw error
  }
  throw new Error('expected the stream to fail')
}

const MULTIBYTE_STREAM =
  chunk({ role: 'assistant', content: '' }) +
  ': ping\n\n' +
  chunk({ reasoning_content: '考えています…🤔' }) +
  chunk({ content: '👨‍👩‍👧 家族で' }) +
  chunk({ content: '𝄞 音楽 🎶 and ünïcödé' }) +
  frame({ ...HEADER, choices: [] }) +
  tool({ index: 0, id: 'call_ü', type: 'function', function: { name: 'play', arguments: '' } }) +
  tool({ index: 0, function: { arguments: '{"song":"夜に駆' } }) +
  tool({ index: 0, function: { arguments: 'ける 🌃"}' } }) +
  chunk({}, 'tool_calls') +
  usageChunk(12, 34) +
  DONE

const MULTIBYTE_EVENTS: ChatEvent[] = [
  { type: 'start', id: 'chatcmpl-s1', model: 'm' },
  { type: 'thinking', text: '考えています…🤔' },
  { type: 'text', text: '👨‍👩‍👧 家族で' },
  { type: 'text', text: '𝄞 音楽 🎶 and ünïcödé' },
  { type: 'tool_call_start', index: 0, id: 'call_ü', name: 'play' },
  { type: 'tool_call_delta', index: 0, argumentsDelta: '{"song":"夜に駆' },
  { type: 'tool_call_delta', index: 0, argumentsDelta: 'ける 🌃"}' },
  { type: 'tool_call_end', index: 0 },
  { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 12, outputTokens: 34 } },
]

describe('decodeStream: byte boundaries', () => {
  test('any split of the bytes, including inside multi-byte characters, gives the same events (300 seeds)', async () => {
    for (let seed = 1; seed <= 300; seed++) {
      const events = await decodeSplitStream(MULTIBYTE_STREAM, seed, 1 + (seed % 9))
      expect({ seed, events }).toStrictEqual({ seed, events: MULTIBYTE_EVENTS })
    }
  })

  test('the recorded fixtures decode the same under 100 different splits each', async () => {
    for (const name of ['text.sse', 'tool-calls.sse', 'reasoning.sse', 'length-stop.sse']) {
      const text = readFixtureText(name)
      const reference = await decodeText(text)
      for (let seed = 1; seed <= 100; seed++) {
        expect({ name, seed, events: await decodeSplitStream(text, seed, 1 + (seed % 5)) }).toStrictEqual({ name, seed, events: reference })
      }
    }
  })
})

describe('decodeStream: the OpenAI chunk order', () => {
  test('the usage chunk after the finish chunk lands in the single finish event', async () => {
    const events = await decodeText(chunk({ role: 'assistant', content: '' }) + chunk({ content: 'a' }) + chunk({}, 'stop') + usageChunk(5, 1) + DONE)
    expect(events).toStrictEqual([
      { type: 'start', id: 'chatcmpl-s1', model: 'm' },
      { type: 'text', text: 'a' },
      { type: 'finish', reason: 'stop', usage: { inputTokens: 5, outputTokens: 1 } },
    ])
  })

  test('content and finish_reason in one chunk give the text, then the finish', async () => {
    const events = await decodeText(chunk({ role: 'assistant', content: 'all at once' }, 'length') + DONE)
    expect(events.map((event) => event.type)).toEqual(['start', 'text', 'finish'])
    expect(events[2]).toMatchObject({ reason: 'length', usage: { inputTokens: 0, outputTokens: 0 } })
  })

  test('a finish_reason followed by EOF without [DONE] still finishes', async () => {
    const events = await decodeText(chunk({ content: 'x' }) + chunk({}, 'stop') + usageChunk(1, 1))
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } })
  })

  test('[DONE] without a finish_reason infers the reason', async () => {
    expect((await decodeText(chunk({ content: 'x' }) + DONE)).at(-1)).toMatchObject({ type: 'finish', reason: 'stop' })
    const withCall = await decodeText(tool({ index: 0, id: 'c', function: { name: 'f', arguments: '{}' } }) + DONE)
    expect(withCall.slice(-2)).toEqual([
      { type: 'tool_call_end', index: 0 },
      { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 0, outputTokens: 0 } },
    ])
  })

  test('nothing after [DONE] is read', async () => {
    const events = await decodeText(`${chunk({ content: 'x' }, 'stop') + DONE}data: not json\n\n`)
    expect(events.at(-1)?.type).toBe('finish')
  })

  test('a missing answer id is generated; `reasoning` is read as thinking; refusals are text', async () => {
    const events = await decodeText(frame({ choices: [{ index: 0, delta: { reasoning: 'r', refusal: 'no' }, finish_reason: 'content_filter' }] }) + DONE)
    expect(events).toStrictEqual([
      { type: 'start', id: 'chatcmpl-gen1', model: '' },
      { type: 'thinking', text: 'r' },
      { type: 'text', text: 'no' },
      { type: 'finish', reason: 'content_filter', usage: { inputTokens: 0, outputTokens: 0 } },
    ])
  })
})

describe('decodeStream: tool-call deltas', () => {
  test('interleaved fragments of parallel calls are grouped by index and all closed at the finish', async () => {
    const events = await decodeText(
      tool({ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '{"x"' } }) +
        tool({ index: 1, id: 'b', type: 'function', function: { name: 'g', arguments: '' } }) +
        tool({ index: 0, function: { arguments: ':1}' } }) +
        tool({ index: 1, function: { arguments: '{}' } }) +
        chunk({}, 'tool_calls') +
        DONE,
    )
    expect(events.slice(1)).toStrictEqual([
      { type: 'tool_call_start', index: 0, id: 'a', name: 'f' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{"x"' },
      { type: 'tool_call_start', index: 1, id: 'b', name: 'g' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: ':1}' },
      { type: 'tool_call_delta', index: 1, argumentsDelta: '{}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'tool_call_end', index: 1 },
      { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 0, outputTokens: 0 } },
    ])
  })

  test('a server that reuses index 0 for every call still gives one canonical call per id', async () => {
    const events = await decodeText(
      tool({ index: 0, id: 'a', function: { name: 'f', arguments: '{}' } }) +
        tool({ index: 0, id: 'b', function: { name: 'g', arguments: '{"k":2}' } }) +
        chunk({}, 'tool_calls') +
        DONE,
    )
    expect(events.slice(1, -1)).toStrictEqual([
      { type: 'tool_call_start', index: 0, id: 'a', name: 'f' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'tool_call_start', index: 1, id: 'b', name: 'g' },
      { type: 'tool_call_delta', index: 1, argumentsDelta: '{"k":2}' },
      { type: 'tool_call_end', index: 1 },
    ])
  })

  test('fragments without index use their position; a call without id gets one; a repeated id is the same call', async () => {
    const events = await decodeText(
      chunk({ tool_calls: [{ function: { name: 'f', arguments: '{"a":' } }, { id: 'z', function: { name: 'g', arguments: '{}' } }] }) +
        chunk({ tool_calls: [{ index: 1, id: 'z', function: { arguments: '' } }] }) +
        tool({ index: 0, function: { arguments: '1}' } }) +
        chunk({}, 'stop') +
        DONE,
    )
    expect(events.slice(1)).toStrictEqual([
      { type: 'tool_call_start', index: 0, id: 'call_gen1', name: 'f' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{"a":' },
      { type: 'tool_call_start', index: 1, id: 'z', name: 'g' },
      { type: 'tool_call_delta', index: 1, argumentsDelta: '{}' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '1}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'tool_call_end', index: 1 },
      { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 0, outputTokens: 0 } },
    ])
  })
})

describe('decodeStream: failures', () => {
  test('an error object inside the stream fails it with the upstream message, after the events before it', async () => {
    const fixture = readFixture<{ streamError: { stream: string; eventsBeforeError: ChatEvent[]; expected: Record<string, unknown> } }>('upstream-error.json')
    const { error, before } = await failure(readFixtureText(fixture.streamError.stream))
    expect(before).toStrictEqual(fixture.streamError.eventsBeforeError)
    expect(error).toMatchObject(fixture.streamError.expected)
  })

  test('a numeric error code inside the stream is used as the status', async () => {
    const { error } = await failure(chunk({ content: 'x' }) + frame({ error: { message: 'slow down', code: 429, type: 'rate_limit' } }))
    expect(error).toMatchObject({ status: 429, kind: 'rate_limited', scope: 'member', message: 'slow down' })
  })

  test('EOF before any finish_reason is a 502', async () => {
    const { error, before } = await failure(chunk({ content: 'partial' }))
    expect(before.map((event) => event.type)).toEqual(['start', 'text'])
    expect(error).toMatchObject({ status: 502, kind: 'bad_gateway', message: 'upstream stream ended before it finished' })
  })

  test('an empty stream and a bare [DONE] are 502s', async () => {
    expect((await failure('')).error).toMatchObject({ status: 502, message: 'upstream stream ended before it finished' })
    expect((await failure(DONE)).error).toMatchObject({ status: 502, message: 'upstream stream ended before it started' })
  })

  test('a chunk that is not JSON is a 502', async () => {
    expect((await failure(`${chunk({ content: 'x' })}data: {"id":\n\n`)).error).toMatchObject({
      status: 502,
      message: 'upstream stream sent a chunk that is not JSON',
    })
  })

  test('a first tool fragment without a name is a 502', async () => {
    expect((await failure(tool({ index: 0, id: 'c', function: { arguments: '{}' } }))).error.message).toBe(
      'upstream stream started tool call 0 without a function name',
    )
  })

  test('argument fragments after the call finished are a 502', async () => {
    const text =
      tool({ index: 0, id: 'c', function: { name: 'f', arguments: '' } }) + chunk({}, 'tool_calls') + tool({ index: 0, function: { arguments: '{}' } })
    expect((await failure(text)).error.message).toBe('upstream stream continued tool call 0 after it finished')
  })

  test('a failing byte source propagates its error', async () => {
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield* randomlySplit(chunk({ content: 'x' }), 1)
      throw new GatewayError(504, 'timeout', 'idle')
    }
    await expect(collect(testCodec().decodeStream(decodeSse(broken())))).rejects.toMatchObject({ status: 504 })
  })
})
