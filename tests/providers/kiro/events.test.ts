import { describe, expect, test } from 'bun:test'
import type { ChatEvent } from '../../../src/chat/types.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { decodeEventStream } from '../../../src/providers/kiro/event-stream.ts'
import { kiroChatEvents } from '../../../src/providers/kiro/events.ts'
import { ToolNameMap } from '../../../src/providers/kiro/tool-names.ts'
import { cutAt, exceptionAnswer, noisyAnswer, textAnswer, thinkingAnswer, toolAnswer } from '../../fakes/kiro/answers.ts'
import { concatBytes, encodeEventMessage, errorFrame, eventFrame } from '../../fakes/kiro/event-stream-encoder.ts'
import { seededRandom, splitBytes, streamOf } from '../../helpers/chunks.ts'

const NOW = Date.UTC(2026, 4, 20, 12, 0, 0)

function run(frames: Uint8Array[], options: { toolNames?: ToolNameMap; inputTokens?: number; seed?: number } = {}) {
  const bytes = concatBytes(frames)
  const pieces = options.seed === undefined ? [bytes] : splitBytes(bytes, seededRandom(options.seed), 11)
  return kiroChatEvents(decodeEventStream(streamOf(pieces)), {
    id: 'msg_1',
    model: 'claude-sonnet-4-5',
    toolNames: options.toolNames ?? new ToolNameMap(),
    contextWindow: 200_000,
    inputTokens: options.inputTokens ?? 42,
    now: () => NOW,
  })
}

/** Every event until the stream ends or throws. */
async function drain(events: AsyncIterable<ChatEvent>): Promise<{ events: ChatEvent[]; error?: GatewayError }> {
  const seen: ChatEvent[] = []
  try {
    for await (const event of events) seen.push(event)
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error
    return { events: seen, error }
  }
  return { events: seen }
}

const textOf = (events: ChatEvent[], type: 'text' | 'thinking') => events.flatMap((event) => (event.type === type ? [event.text] : [])).join('')
const finishOf = (events: ChatEvent[]) => events.find((event) => event.type === 'finish')

describe('kiroChatEvents: text', () => {
  test('text deltas in order, one start first, one finish last, finish reason stop', async () => {
    const { events, error } = await drain(run(textAnswer(['Hel', 'lo ', 'world'])))
    expect(error).toBeUndefined()
    expect(events[0]).toEqual({ type: 'start', id: 'msg_1', model: 'claude-sonnet-4-5', usage: { inputTokens: 42 } })
    expect(events.slice(1, -1)).toEqual([
      { type: 'text', text: 'Hel' },
      { type: 'text', text: 'lo ' },
      { type: 'text', text: 'world' },
    ])
    expect(finishOf(events)).toMatchObject({ reason: 'stop' })
    expect(events.at(-1)?.type).toBe('finish')
  })

  test('multi-byte text split at random byte offsets arrives unchanged', async () => {
    const pieces = ['Zürich 🇨🇭 ', '東京 ', 'naïve café ', '😀😀']
    for (let seed = 1; seed <= 20; seed++) {
      const { events } = await drain(run(textAnswer(pieces), { seed }))
      expect(textOf(events, 'text')).toBe(pieces.join(''))
    }
  })

  test('noise events are ignored and an exact consecutive duplicate frame is dropped', async () => {
    const { events, error } = await drain(run(noisyAnswer(['one ', 'two ', 'three'])))
    expect(error).toBeUndefined()
    expect(textOf(events, 'text')).toBe('one two three')
  })

  test('the same text in non-consecutive frames is kept', async () => {
    const frames = [
      eventFrame('assistantResponseEvent', { content: 'ha' }),
      eventFrame('meteringEvent', { usage: 1 }),
      eventFrame('assistantResponseEvent', { content: 'ha' }),
    ]
    expect(textOf((await drain(run(frames))).events, 'text')).toBe('haha')
  })

  test('usage: output from characters / 4, input from contextUsagePercentage minus output', async () => {
    // 40 characters → 10 output tokens; 1.5 % of 200k = 3000 → 2990 input.
    const { events } = await drain(run(textAnswer(['x'.repeat(40)], 1.5)))
    expect(finishOf(events)).toEqual({ type: 'finish', reason: 'stop', usage: { inputTokens: 2990, outputTokens: 10 } })
  })

  test('usage: without contextUsageEvent the local input estimate stands; 1 output character is 1 token', async () => {
    const { events } = await drain(run([eventFrame('assistantResponseEvent', { content: 'x' })], { inputTokens: 77 }))
    expect(finishOf(events)).toMatchObject({ usage: { inputTokens: 77, outputTokens: 1 } })
  })

  test('an empty answer is still start + finish', async () => {
    const { events } = await drain(run([]))
    expect(events.map((event) => event.type)).toEqual(['start', 'finish'])
    expect(finishOf(events)).toMatchObject({ usage: { outputTokens: 0 } })
  })
})

describe('kiroChatEvents: thinking', () => {
  test('<thinking> at the start becomes thinking events, tags split across frames, blank line dropped', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const { events } = await drain(run(thinkingAnswer('Let me think.', 'The answer is 4.'), { seed }))
      expect(textOf(events, 'thinking')).toBe('Let me think.')
      expect(textOf(events, 'text')).toBe('The answer is 4.')
    }
  })

  test('tags cut one character per frame', async () => {
    const whole = '<thinking>a<b</thinking>\n\nc</thinking>'
    const { events } = await drain(run(textAnswer([...whole])))
    expect(textOf(events, 'thinking')).toBe('a<b')
    expect(textOf(events, 'text')).toBe('c</thinking>')
  })

  test('<thinking> later in the text is ordinary text', async () => {
    const { events } = await drain(run(textAnswer(['Use ', '<thinking>', ' tags'])))
    expect(textOf(events, 'text')).toBe('Use <thinking> tags')
    expect(textOf(events, 'thinking')).toBe('')
  })

  test('a short answer that looks like the start of a tag is flushed as text', async () => {
    const { events } = await drain(run(textAnswer(['<thi'])))
    expect(textOf(events, 'text')).toBe('<thi')
  })

  test('reasoningContentEvent gives thinking text and a signature', async () => {
    const frames = [
      eventFrame('reasoningContentEvent', { text: 'hmm' }),
      eventFrame('reasoningContentEvent', { signature: 'sig-1' }),
      eventFrame('assistantResponseEvent', { content: 'done' }),
    ]
    const { events } = await drain(run(frames))
    expect(events.slice(1, 4)).toEqual([
      { type: 'thinking', text: 'hmm' },
      { type: 'thinking_signature', signature: 'sig-1' },
      { type: 'text', text: 'done' },
    ])
  })
})

describe('kiroChatEvents: tool calls', () => {
  const input = JSON.stringify({ path: 'C:\\dir\\"quoted" ü.txt', lines: [1, 2], note: 'a\nb' })

  test('fragments cut inside strings and escapes reassemble; finish reason tool_calls', async () => {
    // Offsets fall inside "path", inside the \\ escape, inside \" and inside the ü.
    const cuts = [3, input.indexOf('\\') + 1, input.indexOf('\\"') + 1, input.indexOf('ü') + 1, input.length - 2]
    for (let seed = 1; seed <= 10; seed++) {
      const { events, error } = await drain(run(toolAnswer('Reading.', [{ toolUseId: 'tooluse_A', name: 'Read', fragments: cutAt(input, cuts) }]), { seed }))
      expect(error).toBeUndefined()
      expect(events.find((event) => event.type === 'tool_call_start')).toEqual({ type: 'tool_call_start', index: 0, id: 'tooluse_A', name: 'Read' })
      const args = events.flatMap((event) => (event.type === 'tool_call_delta' ? [event.argumentsDelta] : [])).join('')
      expect(JSON.parse(args)).toEqual(JSON.parse(input))
      expect(events.filter((event) => event.type === 'tool_call_end')).toEqual([{ type: 'tool_call_end', index: 0 }])
      expect(finishOf(events)).toMatchObject({ reason: 'tool_calls' })
    }
  })

  test('two calls get indexes 0 and 1; a shortened name is mapped back to the client name', async () => {
    const names = new ToolNameMap()
    const long = `mcp__server__${'very_long_tool_name_'.repeat(4)}`
    const short = names.toKiro(long)
    expect(short).toHaveLength(64)
    const frames = toolAnswer(undefined, [
      { toolUseId: 'tooluse_1', name: 'Read', fragments: ['{"a":', '1}'] },
      { toolUseId: 'tooluse_2', name: short, fragments: ['{}'] },
    ])
    const { events } = await drain(run(frames, { toolNames: names }))
    const starts = events.filter((event) => event.type === 'tool_call_start')
    expect(starts).toEqual([
      { type: 'tool_call_start', index: 0, id: 'tooluse_1', name: 'Read' },
      { type: 'tool_call_start', index: 1, id: 'tooluse_2', name: long },
    ])
  })

  test('continuation fragments without id, an object input, and a call with no input at all', async () => {
    const frames = [
      eventFrame('toolUseEvent', { toolUseId: 't1', name: 'A', input: '{"x":' }),
      eventFrame('toolUseEvent', { input: '2}' }),
      eventFrame('toolUseEvent', { stop: true }),
      eventFrame('toolUseEvent', { toolUseId: 't2', name: 'B', input: { y: 3 }, stop: true }),
      eventFrame('toolUseEvent', { toolUseId: 't3', name: 'C', stop: true }),
    ]
    const { events, error } = await drain(run(frames))
    expect(error).toBeUndefined()
    const argsOf = (index: number) =>
      events.flatMap((event) => (event.type === 'tool_call_delta' && event.index === index ? [event.argumentsDelta] : [])).join('')
    expect(argsOf(0)).toBe('{"x":2}')
    expect(argsOf(1)).toBe('{"y":3}')
    expect(argsOf(2)).toBe('{}')
  })

  test('a call left open by the stream is closed at the end', async () => {
    const { events } = await drain(run([eventFrame('toolUseEvent', { toolUseId: 't1', name: 'A', input: '{}' })]))
    expect(events.filter((event) => event.type === 'tool_call_end')).toHaveLength(1)
  })

  test('arguments that are not a JSON object are a 502', async () => {
    const { error } = await drain(run([eventFrame('toolUseEvent', { toolUseId: 't1', name: 'A', input: '{"a":', stop: true })]))
    expect(error?.status).toBe(502)
  })

  test('a first fragment without a name is a 502', async () => {
    const { error } = await drain(run([eventFrame('toolUseEvent', { toolUseId: 't1', input: '{}' })]))
    expect(error?.status).toBe(502)
  })
})

describe('kiroChatEvents: failures inside the 200 stream', () => {
  test('a ThrottlingException frame after text: the text is yielded, then the iterator throws a 429', async () => {
    const { events, error } = await drain(run(exceptionAnswer(['partial ', 'answer'])))
    expect(textOf(events, 'text')).toBe('partial answer')
    expect(events.some((event) => event.type === 'finish')).toBe(false)
    expect(error?.status).toBe(429)
    expect(error?.kind).toBe('rate_limited')
    expect(error?.scope).toBe('member')
    expect(error?.message).toContain('Too many requests')
  })

  test('an exception as the very first frame throws before any event (nothing committed)', async () => {
    const { events, error } = await drain(run(exceptionAnswer([], 'InternalServerException', 'boom')))
    expect(events).toEqual([])
    expect(error?.status).toBe(500)
  })

  test.each([
    ['ValidationException', 400, 'invalid_request', 'request'],
    ['AccessDeniedException', 403, 'permission', 'member'],
    ['ServiceUnavailableException', 503, 'unavailable', 'member'],
    ['SomethingNew', 502, 'bad_gateway', 'member'],
  ])('%s maps to %i %s', async (type, status, kind, scope) => {
    const { error } = await drain(run(exceptionAnswer(['x'], type, 'why')))
    expect([error?.status, error?.kind, error?.scope]).toEqual([status, kind, scope] as never)
  })

  test('a monthly quota throttling is quota_exhausted until the 1st of next month', async () => {
    const { error } = await drain(run(exceptionAnswer(['x'], 'ThrottlingException', 'MONTHLY_REQUEST_COUNT reached')))
    expect(error?.kind).toBe('quota_exhausted')
    expect(error?.retryAfterMs).toBe(Date.UTC(2026, 5, 1) - NOW)
  })

  test('a generic error frame throws with its code and message', async () => {
    const { error } = await drain(run([eventFrame('assistantResponseEvent', { content: 'x' }), errorFrame('ThrottlingException', 'slow down')]))
    expect(error?.status).toBe(429)
    expect(error?.message).toContain('slow down')
  })

  test('invalidStateEvent is an error, not a success', async () => {
    const { error } = await drain(run([eventFrame('invalidStateEvent', { reason: 'INVALID_TASK_ASSIST_PAYLOAD', message: 'bad' })]))
    expect(error?.status).toBe(502)
    expect(error?.message).toContain('INVALID_TASK_ASSIST_PAYLOAD')
  })

  test('a payload that is not JSON is a 502', async () => {
    const frame = concatBytes([eventFrame('assistantResponseEvent', { content: 'ok' })])
    const broken = encodeEventMessage(
      [
        { name: ':event-type', type: 'string', value: 'assistantResponseEvent' },
        { name: ':message-type', type: 'string', value: 'event' },
      ],
      '{"content":',
    )
    const { events, error } = await drain(run([frame, broken]))
    expect(textOf(events, 'text')).toBe('ok')
    expect(error?.status).toBe(502)
  })
})
