import { describe, expect, test } from 'bun:test'
import type { ChatEvent } from '../../../src/chat/types.ts'
import { decodeAnthropicStream } from '../../../src/dialects/anthropic/stream-decode.ts'
import { decodeSse } from '../../../src/upstream/sse.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { collect, randomlySplit } from '../../helpers/chunks.ts'
import { fixtureText, sseOf } from './fixture.ts'

async function decodeText(text: string): Promise<ChatEvent[]> {
  return collect(decodeAnthropicStream(sseOf(text)))
}

/** The events yielded before the stream failed, and the failure. */
async function decodeUntilFailure(text: string): Promise<{ events: ChatEvent[]; error: GatewayError }> {
  const events: ChatEvent[] = []
  try {
    for await (const event of decodeAnthropicStream(sseOf(text))) events.push(event)
  } catch (error) {
    if (error instanceof GatewayError) return { events, error }
    throw error
  }
  throw new Error('expected the stream to fail')
}

const frame = (type: string, data: Record<string, unknown>) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`
const messageStart = frame('message_start', {
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], usage: { input_tokens: 3, output_tokens: 1 } },
})
const messageStop = frame('message_stop', {})

describe('decodeAnthropicStream', () => {
  test('decodes a text stream with ping and multi-byte text (golden)', async () => {
    expect(await decodeText(await fixtureText('stream-text.sse'))).toEqual([
      { type: 'start', id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY', model: 'claude-sonnet-4-5-20250929', usage: { inputTokens: 25, outputTokens: 1 } },
      { type: 'text', text: 'こんにちは、' },
      { type: 'text', text: '世界！👋🏽 Ünïcödé ' },
      { type: 'text', text: 'and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math.' },
      { type: 'finish', reason: 'stop', usage: { inputTokens: 25, outputTokens: 15 } },
    ])
  })

  test('decodes parallel tool calls with ordinals counted among tool blocks (golden)', async () => {
    expect(await decodeText(await fixtureText('stream-tool-use.sse'))).toEqual([
      {
        type: 'start',
        id: 'msg_014p7gG3wDgGV9EUtLvnow3U',
        model: 'claude-sonnet-4-5-20250929',
        usage: { inputTokens: 2520, outputTokens: 2, cachedInputTokens: 2048 },
      },
      { type: 'text', text: "Okay, let's check both." },
      { type: 'tool_call_start', index: 0, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{"location":' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: ' "San Fra' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: 'ncisco, CA", "unit": "fahrenheit"}' },
      { type: 'tool_call_end', index: 0 },
      { type: 'tool_call_start', index: 1, id: 'toolu_01LzSDSbc8XRdgVfHEsv8Rjw', name: 'get_time' },
      { type: 'tool_call_delta', index: 1, argumentsDelta: '{"timezone": "Asia/東京' },
      { type: 'tool_call_delta', index: 1, argumentsDelta: '"}' },
      { type: 'tool_call_end', index: 1 },
      { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 2520, outputTokens: 89, cachedInputTokens: 2048 } },
    ])
  })

  test('decodes thinking, its signature, and a max_tokens stop (golden)', async () => {
    const events = await decodeText(await fixtureText('stream-thinking.sse'))
    expect(events.map((event) => event.type)).toEqual(['start', 'thinking', 'thinking', 'thinking_signature', 'text', 'finish'])
    expect(events[3]).toEqual({ type: 'thinking_signature', signature: expect.stringMatching(/^EqQB.*Ag==$/) })
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'length', usage: { inputTokens: 64, outputTokens: 212 } })
  })

  test.each(['stream-text.sse', 'stream-tool-use.sse', 'stream-thinking.sse'])(
    '%s decodes identically however the bytes are split (200 seeds, splits inside characters)',
    async (name) => {
      const text = await fixtureText(name)
      const expected = await decodeText(text)
      for (let seed = 1; seed <= 200; seed++) {
        const events = await collect(decodeAnthropicStream(decodeSse(randomlySplit(text, seed, 1 + (seed % 9)))))
        expect(events).toEqual(expected)
      }
    },
  )

  test('an error event after some deltas fails the stream as overloaded (529, member) (golden)', async () => {
    const { events, error } = await decodeUntilFailure(await fixtureText('stream-error.sse'))
    expect(events.map((event) => event.type)).toEqual(['start', 'text'])
    expect(error.status).toBe(529)
    expect(error.kind).toBe('upstream_error')
    expect(error.scope).toBe('member')
    expect(error.message).toBe('Overloaded')
  })

  test.each([
    ['rate_limit_error', 429, 'rate_limited', 'member'],
    ['api_error', 500, 'upstream_error', 'member'],
    ['invalid_request_error', 400, 'invalid_request', 'request'],
    ['mystery_error', 502, 'bad_gateway', 'member'],
  ])('an error event of type %s fails with %d %s (%s)', async (type, status, kind, scope) => {
    const { error } = await decodeUntilFailure(messageStart + frame('error', { error: { type, message: 'boom' } }))
    expect([error.status, error.kind, error.scope]).toEqual([status, kind, scope] as never)
  })

  test('ends the stream with a 502 when the upstream stops before message_stop', async () => {
    const text = (await fixtureText('stream-text.sse')).split('event: message_stop')[0] ?? ''
    const { events, error } = await decodeUntilFailure(text)
    expect(events.at(-1)?.type).toBe('text')
    expect([error.status, error.scope]).toEqual([502, 'member'])
    expect(error.message).toContain('before message_stop')
  })

  test('an empty upstream stream is a 502', async () => {
    const { error } = await decodeUntilFailure('')
    expect(error.status).toBe(502)
  })

  test('ignores unknown events and delta types, and blocks it cannot represent', async () => {
    const text =
      messageStart +
      frame('future_event', { anything: true }) +
      frame('content_block_start', { index: 0, content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} } }) +
      frame('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: '{"query":"x"}' } }) +
      frame('content_block_stop', { index: 0 }) +
      frame('content_block_start', { index: 1, content_block: { type: 'text', text: '' } }) +
      frame('content_block_delta', { index: 1, delta: { type: 'citations_delta', citation: { type: 'char_location' } } }) +
      frame('content_block_delta', { index: 1, delta: { type: 'text_delta', text: 'ok' } }) +
      frame('content_block_stop', { index: 1 }) +
      frame('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 4 } }) +
      messageStop
    expect((await decodeText(text)).map((event) => event.type)).toEqual(['start', 'text', 'finish'])
  })

  test('a tool call without input deltas still yields its JSON arguments', async () => {
    const text =
      messageStart +
      frame('content_block_start', { index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'now', input: {} } }) +
      frame('content_block_stop', { index: 0 }) +
      frame('message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 4 } }) +
      messageStop
    expect(await decodeText(text)).toContainEqual({ type: 'tool_call_delta', index: 0, argumentsDelta: '{}' })
  })

  test('redacted thinking blocks and stop sequences come through', async () => {
    const text =
      messageStart +
      frame('content_block_start', { index: 0, content_block: { type: 'redacted_thinking', data: 'b3BhcXVl' } }) +
      frame('content_block_stop', { index: 0 }) +
      frame('message_delta', { delta: { stop_reason: 'stop_sequence', stop_sequence: '\n\nHuman:' }, usage: { output_tokens: 9 } }) +
      messageStop
    const events = await decodeText(text)
    expect(events[1]).toEqual({ type: 'redacted_thinking', data: 'b3BhcXVl' })
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop', stopSequence: '\n\nHuman:', usage: { inputTokens: 3, outputTokens: 9 } })
  })

  test.each([
    ['a corrupt frame', `${messageStart}event: content_block_delta\ndata: {"type":"content_block_delta",\n\n`, 'corrupt'],
    ['a delta for a block never started', messageStart + frame('content_block_delta', { index: 3, delta: { type: 'text_delta', text: 'x' } }), 'not open'],
    ['content before message_start', frame('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }), 'before message_start'],
    ['a second message_start', messageStart + messageStart, 'second message_start'],
    [
      'input_json_delta on a text block',
      messageStart +
        frame('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
        frame('content_block_delta', { index: 0, delta: { type: 'input_json_delta', partial_json: '{' } }),
      'not a tool_use block',
    ],
    [
      'a tool_use block without id',
      messageStart + frame('content_block_start', { index: 0, content_block: { type: 'tool_use', name: 'x', input: {} } }),
      'content_block.id',
    ],
  ])('%s is a 502', async (_name, text, message) => {
    const { error } = await decodeUntilFailure(text)
    expect(error.status).toBe(502)
    expect(error.message).toContain(message)
  })
})
