import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { decodeEventStream, MAX_MESSAGE_BYTES, type EventStreamMessage } from '../../../src/providers/kiro/event-stream.ts'
import { collect, seededRandom, splitBytes, streamOf } from '../../helpers/chunks.ts'
import { concatBytes, encodeEventMessage, eventFrame } from '../../fakes/kiro/event-stream-encoder.ts'

const hex = (text: string) =>
  new Uint8Array(
    text
      .trim()
      .split(/\s+/)
      .map((byte) => Number.parseInt(byte, 16)),
  )

// The known test vector (docs/protocols.md#kiro-event-stream): no headers, payload {"foo": "bar"}.
const VECTOR_1 = hex('00 00 00 1e 00 00 00 00 ba f2 f6 8a 7b 22 66 6f 6f 22 3a 20 22 62 61 72 22 7d ae 72 58 e4')
// Test vector 2: three string headers, payload {"content":"Hi"}.
const VECTOR_2 = hex(
  '00 00 00 7c 00 00 00 5c 3b dd cf 78 0b 3a 65 76 65 6e 74 2d 74 79 70 65 07 00 16 61 73 73 69 73 74 61 6e 74 52 65 73 70 6f 6e 73 65 45 76 65 6e 74 0d 3a 63 6f 6e 74 65 6e 74 2d 74 79 70 65 07 00 10 61 70 70 6c 69 63 61 74 69 6f 6e 2f 6a 73 6f 6e 0d 3a 6d 65 73 73 61 67 65 2d 74 79 70 65 07 00 05 65 76 65 6e 74 7b 22 63 6f 6e 74 65 6e 74 22 3a 22 48 69 22 7d b0 2b ab dc',
)

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
const decode = (pieces: Uint8Array[]) => collect(decodeEventStream(streamOf(pieces)))

async function decodeError(pieces: Uint8Array[]): Promise<GatewayError> {
  try {
    await decode(pieces)
  } catch (error) {
    if (error instanceof GatewayError) return error
    throw error
  }
  throw new Error('the stream decoded without an error')
}

describe('event-stream test vectors (docs/protocols.md#kiro-event-stream)', () => {
  test('vector 1 decodes to no headers and the {"foo": "bar"} payload', async () => {
    const [message, ...rest] = await decode([VECTOR_1])
    expect(rest).toHaveLength(0)
    expect(message?.headers.size).toBe(0)
    expect(text(message!.payload)).toBe('{"foo": "bar"}')
  })

  test('vector 2 decodes to its three string headers and payload', async () => {
    const [message] = await decode([VECTOR_2])
    expect([...message!.headers]).toEqual([
      [':event-type', 'assistantResponseEvent'],
      [':content-type', 'application/json'],
      [':message-type', 'event'],
    ])
    expect(text(message!.payload)).toBe('{"content":"Hi"}')
  })

  test('the encoder used by the fake produces both vectors byte for byte', () => {
    expect(encodeEventMessage([], '{"foo": "bar"}')).toEqual(VECTOR_1)
    expect(eventFrame('assistantResponseEvent', { content: 'Hi' })).toEqual(VECTOR_2)
  })
})

describe('decodeEventStream over split reads', () => {
  const frames = [
    eventFrame('assistantResponseEvent', { content: 'Grüße 👋🏽 — ' }),
    VECTOR_1,
    eventFrame('assistantResponseEvent', { content: '日本語のテキスト' }),
    VECTOR_2,
  ]
  const whole = concatBytes(frames)
  const payloads = (messages: EventStreamMessage[]) => messages.map((message) => text(message.payload))
  const expected = ['{"content":"Grüße 👋🏽 — "}', '{"foo": "bar"}', '{"content":"日本語のテキスト"}', '{"content":"Hi"}']

  test('all frames coalesced into one read', async () => {
    expect(payloads(await decode([whole]))).toEqual(expected)
  })

  test('every single split offset (inside preludes, headers and multi-byte characters) gives the same messages', async () => {
    for (let cut = 1; cut < whole.length; cut++) {
      expect(payloads(await decode([whole.subarray(0, cut), whole.subarray(cut)]))).toEqual(expected)
    }
  })

  test('one byte per read', async () => {
    expect(payloads(await decode(Array.from(whole, (byte) => new Uint8Array([byte]))))).toEqual(expected)
  })

  test('random splits with seeded pieces of 1..13 bytes', async () => {
    for (let seed = 1; seed <= 50; seed++) {
      expect(payloads(await decode(splitBytes(whole, seededRandom(seed), 13)))).toEqual(expected)
    }
  })

  test('a frame larger than the initial buffer arrives intact', async () => {
    const big = 'x'.repeat(100_000)
    const [message] = await decode(splitBytes(eventFrame('assistantResponseEvent', { content: big }), seededRandom(7), 5000))
    expect(text(message!.payload)).toBe(JSON.stringify({ content: big }))
  })
})

describe('decodeEventStream header value types', () => {
  test('every type 0-9 is parsed and skipped correctly', async () => {
    const bytes = encodeEventMessage(
      [
        { name: 'yes', type: 'bool', value: true },
        { name: 'no', type: 'bool', value: false },
        { name: 'b', type: 'byte', value: -3 },
        { name: 's', type: 'int16', value: -300 },
        { name: 'i', type: 'int32', value: 70000 },
        { name: 'l', type: 'int64', value: 2n ** 40n },
        { name: 'raw', type: 'bytes', value: new Uint8Array([1, 2, 3]) },
        { name: 'str', type: 'string', value: 'é' },
        { name: 'ts', type: 'timestamp', value: 1_700_000_000_000n },
        { name: 'id', type: 'uuid', value: '0123456789abcdef0123456789abcdef' },
        { name: ':event-type', type: 'string', value: 'assistantResponseEvent' },
      ],
      '{}',
    )
    const [message] = await decode([bytes])
    const headers = message!.headers
    expect(headers.get('yes')).toBe(true)
    expect(headers.get('no')).toBe(false)
    expect(headers.get('b')).toBe(-3)
    expect(headers.get('s')).toBe(-300)
    expect(headers.get('i')).toBe(70000)
    expect(headers.get('l')).toBe(2n ** 40n)
    expect(headers.get('raw')).toEqual(new Uint8Array([1, 2, 3]))
    expect(headers.get('str')).toBe('é')
    expect((headers.get('ts') as Date).getTime()).toBe(1_700_000_000_000)
    expect(headers.get('id')).toBe('01234567-89ab-cdef-0123-456789abcdef')
    expect(headers.get(':event-type')).toBe('assistantResponseEvent')
  })

  test('a header named __proto__ stays an ordinary header', async () => {
    const [message] = await decode([encodeEventMessage([{ name: '__proto__', type: 'string', value: 'x' }], '{}')])
    expect(message!.headers.get('__proto__')).toBe('x')
  })
})

describe('decodeEventStream rejects corrupt streams with a 502', () => {
  const frame = eventFrame('assistantResponseEvent', { content: 'hello' })
  const flip = (bytes: Uint8Array, at: number) => {
    const copy = bytes.slice()
    copy[at] = (copy[at] ?? 0) ^ 0x01
    return copy
  }
  /** A frame whose prelude says `total`/`headers` with a correct prelude CRC. */
  const prelude = (total: number, headers: number) => {
    const bytes = new Uint8Array(12)
    const view = new DataView(bytes.buffer)
    view.setUint32(0, total)
    view.setUint32(4, headers)
    view.setUint32(8, Bun.hash.crc32(bytes.subarray(0, 8)))
    return bytes
  }

  test('a corrupted prelude CRC', async () => {
    const error = await decodeError([flip(frame, 9)])
    expect(error.status).toBe(502)
    expect(error.kind).toBe('bad_gateway')
    expect(error.scope).toBe('member')
    expect(error.message).toContain('prelude CRC')
  })

  test('a corrupted length is caught by the prelude CRC before any wait for bytes', async () => {
    expect((await decodeError([flip(frame, 2)])).message).toContain('prelude CRC')
  })

  test('a corrupted payload byte fails the message CRC', async () => {
    expect((await decodeError([flip(frame, frame.length - 8)])).message).toContain('message CRC')
  })

  test('a corrupted message CRC', async () => {
    expect((await decodeError([flip(frame, frame.length - 1)])).message).toContain('message CRC')
  })

  test('the good frames before a corrupt one are still delivered', async () => {
    const messages: EventStreamMessage[] = []
    let failure: unknown
    try {
      for await (const message of decodeEventStream(streamOf([VECTOR_2, flip(frame, frame.length - 1)]))) messages.push(message)
    } catch (error) {
      failure = error
    }
    expect(messages).toHaveLength(1)
    expect(failure).toBeInstanceOf(GatewayError)
  })

  test('a truncated last frame', async () => {
    const error = await decodeError([VECTOR_2, frame.subarray(0, frame.length - 3)])
    expect(error.status).toBe(502)
    expect(error.message).toContain('ended inside a message')
  })

  test('a stream cut inside the prelude', async () => {
    expect((await decodeError([frame.subarray(0, 5)])).message).toContain('ended inside a message')
  })

  test('a total length below 16', async () => {
    expect((await decodeError([prelude(15, 0)])).message).toContain('out of bounds')
  })

  test('a total length above 16 MiB', async () => {
    expect((await decodeError([prelude(MAX_MESSAGE_BYTES + 1, 0)])).message).toContain('out of bounds')
  })

  test('a headers length beyond total − 16', async () => {
    expect((await decodeError([prelude(40, 25)])).message).toContain('headers length')
  })

  test('an unknown header value type', async () => {
    const bad = encodeEventMessage([{ name: 'x', type: 'bool', value: true }], '{}')
    // Type byte of the only header sits right after its 1-byte length and 1-byte name.
    bad[14] = 42
    const view = new DataView(bad.buffer)
    view.setUint32(bad.length - 4, Bun.hash.crc32(bad.subarray(0, bad.length - 4)))
    expect((await decodeError([bad])).message).toContain('malformed headers')
  })
})
