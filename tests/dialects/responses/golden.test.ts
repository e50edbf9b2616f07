// Golden fixtures in the official Responses API shapes (text, parallel tool calls,
// reasoning, images, a length stop, errors) decoded and encoded both ways, streams under
// random byte splits.
import { describe, expect, test } from 'bun:test'
import type { ChatEvent, ChatRequest, ChatResponse } from '../../../src/chat/types.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { decodeSse } from '../../../src/upstream/sse.ts'
import { collect, randomlySplit, streamOf } from '../../helpers/chunks.ts'
import { fixtureNames, readFixture, readFixtureText, testCodec } from './fixture-files.ts'

interface Fixture {
  description: string
  request: unknown
  canonicalRequest: ChatRequest
  upstreamRequest: Record<string, unknown>
  response?: unknown
  canonicalResponse?: ChatResponse
  clientResponse?: unknown
  stream?: string
  streamEvents?: ChatEvent[]
  clientStream?: string
}

const names = fixtureNames()
const CONTEXT = { model: 'fallback-model', includeUsage: false }

test('every fixture file is exercised', () => {
  expect(names.sort()).toEqual(['image-input.json', 'length-stop.json', 'reasoning.json', 'text.json', 'tool-calls.json'])
})

for (const name of names) {
  const fixture = readFixture<Fixture>(name)
  describe(`${name}: ${fixture.description}`, () => {
    test('the client request decodes to the expected canonical request', () => {
      expect(testCodec().decodeRequest(fixture.request, {})).toStrictEqual(fixture.canonicalRequest)
    })
    test('the canonical request encodes to the expected upstream body', () => {
      expect(testCodec().encodeRequest(fixture.canonicalRequest)).toStrictEqual(fixture.upstreamRequest)
    })
    test('the upstream body decodes back to the same canonical request', () => {
      // Built-in tools were already dropped; everything the canonical shape holds survives.
      expect(testCodec().decodeRequest(fixture.upstreamRequest, {})).toStrictEqual(fixture.canonicalRequest)
    })
    const { response, canonicalResponse, clientResponse } = fixture
    if (response !== undefined && canonicalResponse && clientResponse) {
      test('the upstream answer decodes to the expected canonical response', () => {
        expect(testCodec().decodeResponse(response)).toStrictEqual(canonicalResponse)
      })
      test('the canonical response encodes to the expected client answer', () => {
        expect(testCodec().encodeResponse(canonicalResponse)).toStrictEqual(clientResponse)
      })
    }
    const { stream, streamEvents, clientStream } = fixture
    if (stream && streamEvents && clientStream) {
      const text = readFixtureText(stream)
      test('the upstream stream decodes to the expected events under any byte split', async () => {
        for (let seed = 1; seed <= 20; seed++) {
          expect(await collect(testCodec().decodeStream(decodeSse(randomlySplit(text, seed))))).toStrictEqual(streamEvents)
        }
      })
      test('the events encode to the expected client stream, which decodes back to the same events', async () => {
        const frames = (await collect(testCodec().encodeStream(streamOf(streamEvents), CONTEXT))).join('')
        expect(frames).toBe(readFixtureText(clientStream))
        const back = await collect(testCodec().decodeStream(decodeSse(randomlySplit(frames, 7))))
        // The gateway's answer has its own id; the content is the same.
        expect(back.slice(1)).toStrictEqual(streamEvents.slice(1))
      })
    }
  })
}

describe('stream encoding', () => {
  test('a mixed answer keeps the official event order: each item opened, filled and closed before the next', async () => {
    const events: ChatEvent[] = [
      { type: 'start', id: 'x', model: 'm' },
      { type: 'thinking', text: 'hmm' },
      { type: 'text', text: 'Hi' },
      { type: 'tool_call_start', index: 0, id: 'call_a', name: 'a' },
      { type: 'tool_call_delta', index: 0, argumentsDelta: '{}' },
      { type: 'finish', reason: 'tool_calls', usage: { inputTokens: 1, outputTokens: 2 } },
    ]
    const frames = (await collect(testCodec().encodeStream(streamOf(events), CONTEXT))).map((frame) => JSON.parse(frame.split('data: ')[1] as string))
    expect(frames.map((frame) => frame.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      // A call the upstream never closed is closed at the finish.
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ])
    expect(frames.map((frame) => frame.sequence_number)).toEqual(frames.map((_, i) => i))
    expect(frames.at(-1).response.output.map((item: { type: string }) => item.type)).toEqual(['reasoning', 'message', 'function_call'])
    expect(frames.at(-1).response.usage).toEqual({
      input_tokens: 1,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 2,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 3,
    })
  })

  test('a source that breaks after the start throws after the frames already sent, never completing', async () => {
    async function* broken(): AsyncGenerator<ChatEvent> {
      yield { type: 'start', id: 'x', model: 'm' }
      yield { type: 'text', text: 'Hal' }
      throw new GatewayError(502, 'bad_gateway', 'cut')
    }
    const frames: string[] = []
    await expect(
      (async () => {
        for await (const frame of testCodec().encodeStream(broken(), CONTEXT)) frames.push(frame)
      })(),
    ).rejects.toThrow('cut')
    expect(frames.some((frame) => frame.startsWith('event: response.completed'))).toBe(false)
    expect(frames.at(-1)).toStartWith('event: response.output_text.delta')
  })

  test('the error event that ends a broken stream is the OpenAI error in the official event shape', () => {
    const frame = testCodec().encodeStreamError(new GatewayError(502, 'bad_gateway', 'upstream went away'))
    expect(frame).toStartWith('event: error\ndata: ')
    expect(JSON.parse(frame.split('data: ')[1] as string)).toEqual({
      type: 'error',
      sequence_number: 0,
      code: 'bad_gateway',
      message: 'upstream went away',
      param: null,
    })
  })
})

describe('upstream errors', () => {
  test('a response.failed event ends the decoded stream with the upstream message', async () => {
    const text = readFixtureText('midstream-error.sse')
    const events: ChatEvent[] = []
    const decoding = (async () => {
      for await (const event of testCodec().decodeStream(decodeSse(randomlySplit(text, 3)))) events.push(event)
    })()
    await expect(decoding).rejects.toThrow('The model crashed ✗')
    expect(events.map((event) => event.type)).toEqual(['start', 'text'])
  })

  test('an error body keeps its status, kind and Retry-After', () => {
    const error = testCodec().decodeError(429, readFixtureText('upstream-error.json'), new Headers({ 'retry-after': '7' }))
    expect(error).toMatchObject({ status: 429, kind: 'rate_limited', retryAfterMs: 7000 })
    expect(error.message).toContain('Rate limit reached')
  })
})

describe('a Codex CLI request (captured shape, texts replaced)', () => {
  const request = readFixture('codex-request.json')

  test('developer items become the system prompt, built-in and namespace tools are left out, the cache key is the session', () => {
    const decoded = testCodec().decodeRequest(request, {})
    expect(decoded.system.map((part) => part.text)).toEqual([
      'You are a coding agent in a terminal.',
      '<permissions>read-only sandbox</permissions>',
      '<skills>none</skills>',
    ])
    expect(decoded.messages).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'text', text: '<environment_context><cwd>/tmp/work</cwd><shell>bash</shell></environment_context>' },
          { type: 'text', text: 'say hi' },
        ],
      },
    ])
    expect(decoded.tools?.map((tool) => tool.name)).toEqual(['exec_command', 'write_stdin'])
    expect(decoded).toMatchObject({ toolChoice: { type: 'auto' }, parallelToolCalls: true, stream: true, user: '0190aaaa-0000-7000-8000-000000000001' })
    // `reasoning` without an effort asks for nothing.
    expect(decoded.thinking).toBeUndefined()
  })
})
