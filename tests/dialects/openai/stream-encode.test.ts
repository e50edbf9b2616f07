import { describe, expect, test } from 'bun:test'
import type { ChatEvent } from '../../../src/chat/types.ts'
import { decodeSse } from '../../../src/upstream/sse.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { collect, randomlySplit, seededRandom } from '../../helpers/chunks.ts'
import { eventsOf, testCodec } from './fixture-files.ts'

const context = { model: 'fallback-model', includeUsage: false }
const encode = (events: ChatEvent[], includeUsage = false) => collect(testCodec().encodeStream(eventsOf(events), { ...context, includeUsage }))
const payloads = (frames: string[]) =>
  frames.map((frame) => {
    expect(frame).toStartWith('data: ')
    expect(frame).toEndWith('\n\n')
    const data = frame.slice(6, -2)
    return data === '[DONE]' ? data : (JSON.parse(data) as Record<string, unknown>)
  })

const START: ChatEvent = { type: 'start', id: 'msg_01', model: 'claude-x' }
const FINISH: ChatEvent = { type: 'finish', reason: 'stop', usage: { inputTokens: 2, outputTokens: 3 } }

describe('encodeStream', () => {
  test('frames follow the OpenAI order and share one id, created and model', async () => {
    const frames = await encode(
      [
        START,
        { type: 'thinking', text: 'hmm' },
        { type: 'thinking_signature', signature: 'sig' },
        { type: 'redacted_thinking', data: 'x' },
        { type: 'text', text: 'Hi' },
        { type: 'tool_call_start', index: 0, id: 'toolu_1', name: 'f' },
        { type: 'tool_call_delta', index: 0, argumentsDelta: '{"a":1}' },
        { type: 'tool_call_end', index: 0 },
        { ...FINISH, reason: 'tool_calls' },
      ],
      true,
    )
    const chunks = payloads(frames)
    expect(chunks.at(-1)).toBe('[DONE]')
    const objects = chunks.slice(0, -1) as Array<Record<string, unknown>>
    for (const chunk of objects) {
      expect(chunk).toMatchObject({ id: 'chatcmpl-msg_01', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'claude-x' })
    }
    expect(objects.map((chunk) => chunk.choices)).toEqual([
      [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
      [{ index: 0, delta: { reasoning_content: 'hmm' }, logprobs: null, finish_reason: null }],
      [{ index: 0, delta: { content: 'Hi' }, logprobs: null, finish_reason: null }],
      [
        {
          index: 0,
          delta: { tool_calls: [{ index: 0, id: 'toolu_1', type: 'function', function: { name: 'f', arguments: '' } }] },
          logprobs: null,
          finish_reason: null,
        },
      ],
      [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"a":1}' } }] }, logprobs: null, finish_reason: null }],
      [{ index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' }],
      [],
    ])
    expect(objects.at(-1)?.usage).toEqual({ prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 })
  })

  test('without include_usage there is no usage chunk', async () => {
    const chunks = payloads(await encode([START, { type: 'text', text: 'x' }, FINISH], false))
    expect(chunks).toHaveLength(4)
    expect(chunks.at(-1)).toBe('[DONE]')
    expect(chunks.some((chunk) => typeof chunk === 'object' && 'usage' in chunk)).toBe(false)
  })

  test('usage reported before the finish is merged into the usage chunk', async () => {
    const chunks = payloads(
      await encode(
        [
          { ...START, usage: { inputTokens: 50, cachedInputTokens: 40 } },
          { type: 'usage', usage: { reasoningTokens: 7 } },
          { type: 'finish', reason: 'stop', usage: { inputTokens: 50, outputTokens: 9 } },
        ],
        true,
      ),
    )
    expect((chunks.at(-2) as Record<string, unknown>).usage).toEqual({
      prompt_tokens: 50,
      completion_tokens: 9,
      total_tokens: 59,
      prompt_tokens_details: { cached_tokens: 40 },
      completion_tokens_details: { reasoning_tokens: 7 },
    })
  })

  test('the context model is used when the source names none', async () => {
    const chunks = payloads(await encode([{ type: 'start', id: 'chatcmpl-a', model: '' }, FINISH]))
    expect((chunks[0] as Record<string, unknown>).model).toBe('fallback-model')
    expect((chunks[0] as Record<string, unknown>).id).toBe('chatcmpl-a')
  })

  test('a source that skips start still gets a role chunk first', async () => {
    const chunks = payloads(await encode([{ type: 'text', text: 'x' }, FINISH]))
    expect(chunks[0]).toMatchObject({ id: 'chatcmpl-gen1', model: 'fallback-model', choices: [{ delta: { role: 'assistant', content: '' } }] })
    expect(chunks[1]).toMatchObject({ choices: [{ delta: { content: 'x' } }] })
  })

  test('a source that ends without finish fails with a 502 after the frames it had', async () => {
    const frames: string[] = []
    let caught: unknown
    try {
      for await (const frame of testCodec().encodeStream(eventsOf([START, { type: 'text', text: 'x' }]), context)) frames.push(frame)
    } catch (error) {
      caught = error
    }
    expect(frames).toHaveLength(2)
    expect(caught).toBeInstanceOf(GatewayError)
    expect(caught).toMatchObject({ status: 502, message: 'upstream stream ended before it finished' })
  })

  test('a source failure propagates unchanged and no [DONE] is written', async () => {
    async function* failing(): AsyncGenerator<ChatEvent> {
      yield START
      throw new GatewayError(429, 'rate_limited', 'later')
    }
    const frames: string[] = []
    await expect(
      (async () => {
        for await (const frame of testCodec().encodeStream(failing(), context)) frames.push(frame)
      })(),
    ).rejects.toMatchObject({ status: 429 })
    expect(frames.join('')).not.toContain('[DONE]')
  })

  test('each frame is yielded before the next event is pulled: nothing is buffered', async () => {
    let pulled = 0
    async function* source(): AsyncGenerator<ChatEvent> {
      for (const event of [START, { type: 'text', text: 'a' }, { type: 'text', text: 'b' }, FINISH] satisfies ChatEvent[]) {
        pulled++
        yield event
      }
    }
    const seen: Array<[number, string]> = []
    for await (const frame of testCodec().encodeStream(source(), context))
      seen.push([pulled, frame.includes('"content":"a"') ? 'a' : frame.includes('"content":"b"') ? 'b' : '-'])
    expect(seen.filter(([, label]) => label !== '-')).toEqual([
      [2, 'a'],
      [3, 'b'],
    ])
  })

  test('random event sequences survive encode → decode (200 seeds)', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const events = randomEvents(seed)
      const codec = testCodec()
      const frames = await collect(codec.encodeStream(eventsOf(events), { ...context, includeUsage: true }))
      const decoded = await collect(codec.decodeStream(decodeSse(randomlySplit(frames.join(''), seed))))
      expect({ seed, decoded }).toStrictEqual({ seed, decoded: events })
    }
  })
})

const PIECES = ['Hello', ' 世界', '🙂', 'é', '\n', '"q"', '👩🏽‍🚀', '{', '}']

/** Events in the normal form decodeStream produces (tool calls closed together at the finish). */
function randomEvents(seed: number): ChatEvent[] {
  const random = seededRandom(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const events: ChatEvent[] = [{ type: 'start', id: `chatcmpl-${seed}`, model: 'm' }]
  const calls: number[] = []
  const steps = Math.floor(random() * 12)
  for (let step = 0; step < steps; step++) {
    const roll = random()
    if (roll < 0.3) events.push({ type: 'text', text: pick(PIECES) })
    else if (roll < 0.45) events.push({ type: 'thinking', text: pick(PIECES) })
    else if (roll < 0.65) {
      const index = calls.length
      calls.push(index)
      events.push({ type: 'tool_call_start', index, id: `call_${seed}_${index}`, name: pick(['a', 'b']) })
    } else if (calls.length > 0) {
      events.push({ type: 'tool_call_delta', index: pick(calls), argumentsDelta: pick(PIECES) })
    }
  }
  for (const index of calls) events.push({ type: 'tool_call_end', index })
  const usage = { inputTokens: Math.floor(random() * 1000), outputTokens: Math.floor(random() * 1000) }
  events.push({ type: 'finish', reason: calls.length > 0 ? 'tool_calls' : pick(['stop', 'length', 'content_filter'] as const), usage })
  return events
}
