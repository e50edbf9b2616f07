// Golden fixtures (real recorded wire shapes) through decode → encode, compared with
// hand-written expectations.
import { describe, expect, test } from 'bun:test'
import type { ChatEvent, ChatRequest, ChatResponse } from '../../../src/chat/types.ts'
import { decodeSse } from '../../../src/upstream/sse.ts'
import type { EncodeStreamContext } from '../../../src/dialects/types.ts'
import { collect, randomlySplit } from '../../helpers/chunks.ts'
import { eventsOf, fixtureNames, readFixture, readFixtureText, testCodec } from './fixture-files.ts'

interface Fixture {
  description: string
  request?: unknown
  canonicalRequest?: ChatRequest
  upstreamRequest?: Record<string, unknown>
  response?: unknown
  canonicalResponse?: ChatResponse
  clientResponse?: unknown
  stream?: string
  streamEvents?: ChatEvent[]
  clientStream?: string
  clientStreamContext?: EncodeStreamContext
}

const names = fixtureNames()

function openaiId(id: string): string {
  return id.startsWith('chatcmpl-') ? id : `chatcmpl-${id}`
}

test('every fixture file is exercised', () => {
  expect(names.sort()).toEqual(['image-input.json', 'length-stop.json', 'multi-turn-tools.json', 'reasoning.json', 'text.json', 'tool-calls.json'])
})

for (const name of names) {
  const fixture = readFixture<Fixture>(name)
  describe(`${name}: ${fixture.description}`, () => {
    if (fixture.request !== undefined && fixture.canonicalRequest && fixture.upstreamRequest) {
      const { request, canonicalRequest, upstreamRequest } = fixture
      test('the client request decodes to the expected canonical request', () => {
        expect(testCodec().decodeRequest(request, {})).toStrictEqual(canonicalRequest)
      })
      test('the canonical request encodes to the expected upstream body', () => {
        expect(testCodec().encodeRequest(canonicalRequest)).toStrictEqual(upstreamRequest)
      })
    }
    if (fixture.response !== undefined && fixture.canonicalResponse && fixture.clientResponse) {
      const { response, canonicalResponse, clientResponse } = fixture
      test('the upstream answer decodes to the expected canonical response', () => {
        expect(testCodec().decodeResponse(response)).toStrictEqual(canonicalResponse)
      })
      test('the canonical response encodes to the expected client answer', () => {
        expect(testCodec().encodeResponse(canonicalResponse)).toStrictEqual(clientResponse)
      })
    }
    if (fixture.stream && fixture.streamEvents) {
      const text = readFixtureText(fixture.stream)
      const expected = fixture.streamEvents
      test('the upstream stream decodes to the expected events', async () => {
        const events = await collect(testCodec().decodeStream(decodeSse(randomlySplit(text, 1))))
        expect(events).toStrictEqual(expected)
      })
      test('the events re-encoded and decoded again are the same events', async () => {
        const codec = testCodec()
        const frames = await collect(codec.encodeStream(eventsOf(expected), { model: 'unused', includeUsage: true }))
        const again = await collect(codec.decodeStream(decodeSse(randomlySplit(frames.join(''), 2))))
        // OpenAI clients get `chatcmpl-` ids; an upstream id without the prefix is kept inside one.
        expect(again).toStrictEqual(expected.map((event) => (event.type === 'start' ? { ...event, id: openaiId(event.id) } : event)))
      })
    }
    if (fixture.streamEvents && fixture.clientStream && fixture.clientStreamContext) {
      const events = fixture.streamEvents
      const context = fixture.clientStreamContext
      const expected = readFixtureText(fixture.clientStream)
      test('the events encode to the expected client stream, byte for byte', async () => {
        const frames = await collect(testCodec().encodeStream(eventsOf(events), context))
        expect(frames.join('')).toBe(expected)
      })
    }
  })
}
