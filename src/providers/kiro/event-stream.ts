// AWS event-stream decoding (application/vnd.amazon.eventstream): frames are cut out of
// the raw bytes first, both CRCs are checked, and only then is anything decoded, so a
// character or a frame split across network reads is never corrupted. Layout:
// docs/protocols.md#kiro-event-stream.
import { badGateway } from '../../errors/gateway-error.ts'
import { parseEventHeaders, type EventHeaders } from './event-headers.ts'

export interface EventStreamMessage {
  headers: EventHeaders
  payload: Uint8Array
}

const PRELUDE_BYTES = 12
const MIN_MESSAGE_BYTES = 16
/** Largest frame accepted; real Kiro frames are a few KiB, so anything larger is corruption. */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024

const corrupt = (detail: string) => badGateway(`Kiro event stream is corrupt: ${detail}`)

/** CRC-32 (IEEE, as zlib), computed by Bun's native implementation. */
export function crc32(bytes: Uint8Array): number {
  return Bun.hash.crc32(bytes) >>> 0
}

/** A growable byte queue: appends at the end, consumes from the front, no per-chunk re-copying of old data. */
class ByteQueue {
  private bytes = new Uint8Array(4096)
  private start = 0
  private end = 0

  get length(): number {
    return this.end - this.start
  }

  append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.bytes.length) {
      const queued = this.length
      const needed = queued + chunk.length
      if (needed > this.bytes.length) {
        const grown = new Uint8Array(Math.max(needed, this.bytes.length * 2))
        grown.set(this.bytes.subarray(this.start, this.end))
        this.bytes = grown
      } else {
        this.bytes.copyWithin(0, this.start, this.end)
      }
      this.start = 0
      this.end = queued
    }
    this.bytes.set(chunk, this.end)
    this.end += chunk.length
  }

  /** The first `count` queued bytes, without copying (valid until the next append). */
  peek(count: number): Uint8Array {
    return this.bytes.subarray(this.start, this.start + count)
  }

  consume(count: number): void {
    this.start += count
    if (this.start === this.end) this.start = this.end = 0
  }
}

/**
 * Decodes a byte stream into event-stream messages as they complete. Throws a 502
 * GatewayError on a CRC mismatch, an impossible length or bytes left over at the end.
 */
export async function* decodeEventStream(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<EventStreamMessage> {
  const queue = new ByteQueue()
  for await (const chunk of chunks) {
    queue.append(chunk)
    let message: EventStreamMessage | undefined
    while ((message = takeMessage(queue))) yield message
  }
  if (queue.length > 0) throw corrupt(`the stream ended inside a message (${queue.length} bytes left over)`)
}

/** The next complete message at the front of the queue, or undefined when more bytes are needed. */
function takeMessage(queue: ByteQueue): EventStreamMessage | undefined {
  if (queue.length < PRELUDE_BYTES) return undefined
  const prelude = queue.peek(PRELUDE_BYTES)
  const view = new DataView(prelude.buffer, prelude.byteOffset, PRELUDE_BYTES)
  const totalLength = view.getUint32(0)
  const headersLength = view.getUint32(4)
  if (crc32(prelude.subarray(0, 8)) !== view.getUint32(8)) throw corrupt('prelude CRC mismatch')
  if (totalLength < MIN_MESSAGE_BYTES || totalLength > MAX_MESSAGE_BYTES) throw corrupt(`message length ${totalLength} is out of bounds`)
  if (headersLength > totalLength - MIN_MESSAGE_BYTES) throw corrupt(`headers length ${headersLength} exceeds message length ${totalLength}`)
  if (queue.length < totalLength) return undefined

  const frame = queue.peek(totalLength)
  const expected = new DataView(frame.buffer, frame.byteOffset + totalLength - 4, 4).getUint32(0)
  if (crc32(frame.subarray(0, totalLength - 4)) !== expected) throw corrupt('message CRC mismatch')
  const headers = parseEventHeaders(frame.subarray(PRELUDE_BYTES, PRELUDE_BYTES + headersLength))
  if (!headers) throw corrupt('malformed headers section')
  // Copy: the queue reuses its storage once the bytes are consumed.
  const payload = frame.slice(PRELUDE_BYTES + headersLength, totalLength - 4)
  queue.consume(totalLength)
  return { headers, payload }
}
