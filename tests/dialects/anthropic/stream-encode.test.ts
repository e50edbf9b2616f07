import { describe, expect, test } from 'bun:test'
import type { ChatEvent } from '../../../src/chat/types.ts'
import { decodeAnthropicStream } from '../../../src/dialects/anthropic/stream-decode.ts'
import { encodeAnthropicStream } from '../../../src/dialects/anthropic/stream-encode.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { collect } from '../../helpers/chunks.ts'
import { fixtureText, itemsOf, sseFrames, sseOf } from './fixture.ts'

const context = { model: 'fallback-model', includeUsage: false }

async function encodeText(events: ChatEvent[]): Promise<string> {
  return (await collect(encodeAnthropicStream(itemsOf(events), context))).join('')
}

async function encodeFrames(events: ChatEvent[]) {
  return sseFrames(await encodeText(events))
}

/** Frame summaries that read like the wire: `type index detail`. */
async function wire(events: ChatEvent[]): Promise<string[]> {
  return (await encodeFrames(events)).map(({ data }) => {
    const block = data.content_block as Record<string, unknown> | undefined
    const delta = data.delta as Record<string, unknown> | undefined
    const detail = block?.type ?? delta?.text ?? delta?.partial_json ?? delta?.thinking ?? delta?.signature ?? delta?.stop_reason ?? ''
    return [data.type, data.index, detail].filter((item) => item !== undefined && item !== '').join(' ')
  })
}

const start: ChatEvent = { type: 'start', id: 'msg_abc', model: 'claude-x', usage: { inputTokens: 12 } }
const finish = (reason: 'stop' | 'tool_calls' | 'length' = 'stop'): ChatEvent => ({ type: 'finish', reason, usage: { inputTokens: 12, outputTokens: 34 } })

describe('encodeAnthropicStream', () => {
  test.each(['stream-text.sse', 'stream-tool-use.sse', 'stream-thinking.sse'])(
    'golden %s: decode → encode gives the recorded frames (pings and empty input deltas aside)',
    async (name) => {
      const text = await fixtureText(name)
      const recorded = (await sseFrames(text)).filter(({ data }) => {
        const delta = data.delta as Record<string, unknown> | undefined
        return data.type !== 'ping' && !(delta?.type === 'input_json_delta' && delta.partial_json === '')
      })
      const events = await collect(decodeAnthropicStream(sseOf(text)))
      const encoded = (await encodeFrames(events)).filter(({ data }) => data.type !== 'ping')
      expect(encoded).toHaveLength(recorded.length)
      for (const [i, frame] of encoded.entries()) expect(frame).toMatchObject(recorded[i] as never)
    },
  )

  test('writes every frame as `event: X` + `data: {type: X}` and one ping after message_start', async () => {
    const text = await encodeText([start, { type: 'text', text: 'hi' }, finish()])
    const frames = text.split('\n\n').filter((chunk) => chunk !== '')
    expect(text.endsWith('\n\n')).toBe(true)
    for (const chunk of frames) {
      const [eventLine, dataLine, ...rest] = chunk.split('\n')
      expect(rest).toEqual([])
      const type = eventLine?.replace(/^event: /, '')
      expect(JSON.parse(dataLine?.replace(/^data: /, '') ?? '').type).toBe(type)
    }
    expect(await wire([start, { type: 'text', text: 'hi' }, finish()])).toEqual([
      'message_start',
      'ping',
      'content_block_start 0 text',
      'content_block_delta 0 hi',
      'content_block_stop 0',
      'message_delta end_turn',
      'message_stop',
    ])
  })

  test('message_start carries the id, model and input usage; message_delta the final usage', async () => {
    const frames = await encodeFrames([{ type: 'start', id: 'gen-1', model: '', usage: { inputTokens: 50, cachedInputTokens: 20 } }, finish()])
    expect(frames[0]?.data).toEqual({
      type: 'message_start',
      message: {
        id: 'msg_gen-1',
        type: 'message',
        role: 'assistant',
        model: 'fallback-model',
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 30, cache_creation_input_tokens: 0, cache_read_input_tokens: 20, output_tokens: 1 },
      },
    })
    expect(frames.at(-2)?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 34 },
    })
  })

  test('closes the text block before a tool_use block and numbers blocks in order', async () => {
    expect(
      await wire([
        start,
        { type: 'thinking', text: 'hmm' },
        { type: 'thinking_signature', signature: 'sig' },
        { type: 'thinking', text: 'again' },
        { type: 'text', text: 'Let me look.' },
        { type: 'tool_call_start', index: 0, id: 'toolu_1', name: 'search' },
        { type: 'tool_call_delta', index: 0, argumentsDelta: '{"q":' },
        { type: 'tool_call_delta', index: 0, argumentsDelta: '"x"}' },
        { type: 'tool_call_end', index: 0 },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'text', text: 'after' },
        finish('tool_calls'),
      ]),
    ).toEqual([
      'message_start',
      'ping',
      'content_block_start 0 thinking',
      'content_block_delta 0 hmm',
      'content_block_delta 0 sig',
      'content_block_stop 0',
      'content_block_start 1 thinking',
      'content_block_delta 1 again',
      'content_block_stop 1',
      'content_block_start 2 text',
      'content_block_delta 2 Let me look.',
      'content_block_stop 2',
      'content_block_start 3 tool_use',
      'content_block_delta 3 {"q":',
      'content_block_delta 3 "x"}',
      'content_block_stop 3',
      'content_block_start 4 redacted_thinking',
      'content_block_stop 4',
      'content_block_start 5 text',
      'content_block_delta 5 after',
      'content_block_stop 5',
      'message_delta tool_use',
      'message_stop',
    ])
  })

  test('buffers interleaved tool-call deltas and writes each call as one block, in order', async () => {
    const interleaved: ChatEvent[] = [
      start,
      { type: 'tool_call_start', index: 0, id: 'call_a', name: 'alpha' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{"a":' },
      { type: 'tool_call_start', index: 1, id: 'call_b', name: 'beta' },
      { type: 'tool_call_delta', index: 1, argumentsDelta: '{"b":' },
      { type: 'tool_call_start', index: 2, id: 'call_c', name: 'gamma' },
      { type: 'tool_call_delta', index: 2, argumentsDelta: '{"c":3}' },
      { type: 'tool_call_end', index: 2 },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '1}' },
      { type: 'text', text: 'late text' },
      { type: 'tool_call_delta', index: 1, argumentsDelta: '"二"}' },
      { type: 'tool_call_end', index: 1 },
      { type: 'tool_call_end', index: 0 },
      finish('tool_calls'),
    ]
    expect(await wire(interleaved)).toEqual([
      'message_start',
      'ping',
      'content_block_start 0 tool_use',
      'content_block_delta 0 {"a":',
      'content_block_delta 0 1}',
      'content_block_stop 0',
      'content_block_start 1 tool_use',
      'content_block_delta 1 {"b":',
      'content_block_delta 1 "二"}',
      'content_block_stop 1',
      'content_block_start 2 tool_use',
      'content_block_delta 2 {"c":3}',
      'content_block_stop 2',
      'content_block_start 3 text',
      'content_block_delta 3 late text',
      'content_block_stop 3',
      'message_delta tool_use',
      'message_stop',
    ])

    // Round trip: the decoder sees three sequential, complete calls.
    const decoded = await collect(decodeAnthropicStream(sseOf(await encodeText(interleaved))))
    const argumentsOf = (index: number) =>
      decoded.flatMap((event) => (event.type === 'tool_call_delta' && event.index === index ? [event.argumentsDelta] : [])).join('')
    expect([0, 1, 2].map((index) => JSON.parse(argumentsOf(index)))).toEqual([{ a: 1 }, { b: '二' }, { c: 3 }])
    expect(decoded.filter((event) => event.type === 'tool_call_start')).toEqual([
      { type: 'tool_call_start', index: 0, id: 'call_a', name: 'alpha' },
      { type: 'tool_call_start', index: 1, id: 'call_b', name: 'beta' },
      { type: 'tool_call_start', index: 2, id: 'call_c', name: 'gamma' },
    ])
  })

  test('calls never ended by the upstream (OpenAI style) are closed at finish', async () => {
    expect(
      await wire([
        start,
        { type: 'tool_call_start', index: 0, id: 'call_a', name: 'alpha' },
        { type: 'tool_call_delta', index: 0, argumentsDelta: '{}' },
        { type: 'tool_call_start', index: 1, id: 'call_b', name: 'beta' },
        { type: 'tool_call_delta', index: 1, argumentsDelta: '{"x":1}' },
        finish('tool_calls'),
      ]),
    ).toEqual([
      'message_start',
      'ping',
      'content_block_start 0 tool_use',
      'content_block_delta 0 {}',
      'content_block_stop 0',
      'content_block_start 1 tool_use',
      'content_block_delta 1 {"x":1}',
      'content_block_stop 1',
      'message_delta tool_use',
      'message_stop',
    ])
  })

  test('thinking blocks open with an empty signature string that signature_delta later fills', async () => {
    const frames = await encodeFrames([start, { type: 'thinking', text: 'unsigned reasoning' }, finish()])
    expect(frames[2]?.data).toEqual({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } })
    expect(frames[3]?.data).toEqual({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'unsigned reasoning' } })
  })

  test('a plain stop after tool calls is reported as tool_use', async () => {
    const frames = await wire([start, { type: 'tool_call_start', index: 0, id: 'c', name: 'f' }, { type: 'tool_call_end', index: 0 }, finish('stop')])
    expect(frames.at(-2)).toBe('message_delta tool_use')
  })

  test('stop sequences and max_tokens reach message_delta', async () => {
    const frames = await encodeFrames([start, { type: 'finish', reason: 'stop', stopSequence: 'END', usage: { inputTokens: 1, outputTokens: 2 } }])
    expect(frames.at(-2)?.data.delta).toEqual({ stop_reason: 'stop_sequence', stop_sequence: 'END' })
    expect((await wire([start, finish('length')])).at(-2)).toBe('message_delta max_tokens')
  })

  test('usage events supply the input count when finish has none', async () => {
    const frames = await encodeFrames([
      { type: 'start', id: 'msg_1', model: 'm' },
      { type: 'usage', usage: { inputTokens: 7 } },
      { type: 'finish', reason: 'stop', usage: { inputTokens: 0, outputTokens: 3 } },
    ])
    expect(frames[0]?.data.message).toMatchObject({ usage: { input_tokens: 0, output_tokens: 1 } })
    expect(frames.at(-2)?.data.usage).toEqual({ input_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 3 })
  })

  test('content before any start event still opens with message_start', async () => {
    const frames = await encodeFrames([{ type: 'text', text: 'x' }, finish()])
    expect(frames[0]?.data).toMatchObject({ type: 'message_start', message: { id: expect.stringMatching(/^msg_/), model: 'fallback-model' } })
  })

  test('stops reading after finish', async () => {
    const frames = await encodeFrames([start, finish(), { type: 'text', text: 'ignored' }])
    expect(frames.at(-1)?.data.type).toBe('message_stop')
  })

  test('an input that ends without finish is a 502, after the frames written so far', async () => {
    const out: string[] = []
    let failure: unknown
    try {
      for await (const frame of encodeAnthropicStream(itemsOf([start, { type: 'text', text: 'x' }]), context)) out.push(frame)
    } catch (error) {
      failure = error
    }
    expect(out.length).toBe(4)
    expect(failure).toBeInstanceOf(GatewayError)
    expect((failure as GatewayError).status).toBe(502)
  })

  test('an upstream failure passes through unchanged', async () => {
    async function* failing(): AsyncGenerator<ChatEvent> {
      yield start
      throw new GatewayError(529, 'upstream_error', 'Overloaded')
    }
    await expect(collect(encodeAnthropicStream(failing(), context))).rejects.toMatchObject({ status: 529, message: 'Overloaded' })
  })
})

describe('input tokens at message_start', () => {
  const events: ChatEvent[] = [
    { type: 'start', id: 'chatcmpl-1', model: 'gpt' },
    { type: 'text', text: 'hi' },
    { type: 'finish', reason: 'stop', usage: { inputTokens: 12, outputTokens: 1 } },
  ]

  test('an upstream that counts only at the end gets the estimate in message_start, the real count in message_delta', async () => {
    const frames = (await collect(encodeAnthropicStream(itemsOf(events), { model: 'claude', includeUsage: false, inputTokensEstimate: 9 }))).join('')
    const start = JSON.parse(/event: message_start\ndata: (.*)\n/.exec(frames)?.[1] ?? '{}') as { message: { usage: { input_tokens: number } } }
    const delta = JSON.parse(/event: message_delta\ndata: (.*)\n/.exec(frames)?.[1] ?? '{}') as { usage: { input_tokens: number } }
    expect(start.message.usage.input_tokens).toBe(9)
    expect(delta.usage.input_tokens).toBe(12)
  })

  test('a count known at the start wins over the estimate', async () => {
    const known: ChatEvent[] = [{ type: 'start', id: 'm', model: 'c', usage: { inputTokens: 30 } }, ...events.slice(1)]
    const frames = (await collect(encodeAnthropicStream(itemsOf(known), { model: 'claude', includeUsage: false, inputTokensEstimate: 9 }))).join('')
    expect(frames).toContain('"input_tokens":30')
  })
})
