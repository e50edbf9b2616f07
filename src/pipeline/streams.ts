// Response bodies for answers: frame generators and passthrough bytes, where any started
// stream that fails ends with the client dialect's error event instead of a silent cut.
import type { DialectCodec, StreamLayout } from '../dialects/types.ts'
import { type GatewayError, toGatewayError, badGateway } from '../errors/gateway-error.ts'
import { errorForClient } from '../errors/for-client.ts'
import { decodeSse } from '../upstream/sse.ts'

export interface BodyHooks {
  /** The answer ended (completed, failed or cancelled by the client). Called once. */
  onEnd(error?: GatewayError): void
  /** Masks secrets and server paths in the text of an error event. */
  forClient(text: string): string
}

/**
 * A response body from a chunk generator. A failure becomes the client dialect's error
 * piece (told whether a piece already went out); a client disconnect stops the generator
 * (and so the upstream).
 */
function guardedBody(
  pieces: AsyncIterable<string>,
  errorPiece: (error: GatewayError, started: boolean) => string,
  hooks: BodyHooks,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const iterator = pieces[Symbol.asyncIterator]()
  let started = false
  let ended = false
  const end = (error?: GatewayError) => {
    if (ended) return
    ended = true
    hooks.onEnd(error)
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next()
        if (next.done) {
          end()
          controller.close()
        } else {
          started = true
          controller.enqueue(encoder.encode(next.value))
        }
      } catch (thrown) {
        const error = toGatewayError(thrown)
        end(error)
        controller.enqueue(encoder.encode(errorPiece(errorForClient(error, hooks.forClient), started)))
        controller.close()
      }
    },
    async cancel() {
      end()
      await iterator.return?.()
    },
  })
}

/** A response body from the codec's SSE frames; a failure ends it with the dialect's error event. */
export function frameBody(frames: AsyncIterable<string>, codec: DialectCodec, hooks: BodyHooks): ReadableStream<Uint8Array> {
  return guardedBody(frames, (error) => codec.encodeStreamError(error), hooks)
}

/** A response body in another stream layout of the dialect (its own error piece included). */
export function layoutBody(frames: AsyncIterable<string>, layout: StreamLayout, hooks: BodyHooks): ReadableStream<Uint8Array> {
  return guardedBody(layout.pieces(frames), layout.errorPiece, hooks)
}

const LF = 0x0a

/** Enough of an error event to read its status and message. */
const ERROR_CAPTURE_LIMIT = 64 * 1024

/**
 * Upstream SSE bytes passed to the client unchanged, pulled from the upstream's idle-watched
 * chunks. A byte scanner (each chunk plus the seam with the previous one) watches for the
 * dialect's terminator and for the upstream's own error event. A stream that ends without
 * either, breaks, or goes silent gets the dialect's error event appended; an upstream error
 * event is left as the last word (secrets masked) and decoded (by `codec`) so the member is
 * charged with what really happened.
 */
export function passthroughBody(chunks: AsyncIterable<Uint8Array>, codec: DialectCodec, hooks: BodyHooks): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]()
  const scanner = new TerminatorScanner(codec.passthrough.terminator, codec.passthrough.errorEvent)
  let ended = false
  // The last two bytes sent: a gateway error event must not be glued onto a half-sent line.
  let last = LF
  let beforeLast = LF
  const end = (error?: GatewayError) => {
    if (ended) return
    ended = true
    if (error || scanner.errorEvent === undefined) return hooks.onEnd(error)
    decodeErrorEvent(codec, scanner.errorEvent).then(hooks.onEnd, () => hooks.onEnd(upstreamErrorEvent()))
  }
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: GatewayError) => {
    end(error)
    const fresh = last !== LF ? '\n\n' : beforeLast !== LF ? '\n' : ''
    controller.enqueue(new TextEncoder().encode(fresh + codec.encodeStreamError(errorForClient(error, hooks.forClient))))
    controller.close()
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: IteratorResult<Uint8Array>
      try {
        chunk = await iterator.next()
      } catch (error) {
        return fail(controller, toGatewayError(error))
      }
      if (chunk.done) {
        if (!scanner.finished) return fail(controller, badGateway('upstream stream ended before it finished'))
        end()
        return controller.close()
      }
      scanner.scan(chunk.value)
      const bytes = chunk.value
      if (bytes.length > 1) beforeLast = bytes[bytes.length - 2] as number
      else if (bytes.length === 1) beforeLast = last
      if (bytes.length > 0) last = bytes[bytes.length - 1] as number
      controller.enqueue(scanner.errorEvent === undefined ? bytes : masked(bytes, hooks.forClient))
    },
    async cancel() {
      end()
      await iterator.return?.()
    },
  })
}

/**
 * Bytes from the upstream's error event on, with secrets masked: upstreams quote keys in
 * error messages. Only then is a chunk decoded; the stream is ending, so the cost is nil.
 */
function masked(chunk: Uint8Array, forClient: (text: string) => string): Uint8Array {
  const text = new TextDecoder().decode(chunk)
  const clean = forClient(text)
  return clean === text ? chunk : new TextEncoder().encode(clean)
}

/**
 * Finds a terminator or an error-event marker in a byte stream without decoding it:
 * each chunk is searched, plus the seam where a marker may straddle two chunks.
 */
type Markers = string | readonly string[]

const buffersOf = (markers: Markers) => (typeof markers === 'string' ? [markers] : markers).map((marker) => Buffer.from(marker))

/** Where the earliest of `markers` starts in `bytes`, -1 when none does. */
function firstOf(bytes: Buffer, markers: Buffer[]): number {
  let first = -1
  for (const marker of markers) {
    const at = bytes.indexOf(marker)
    if (at !== -1 && (first === -1 || at < first)) first = at
  }
  return first
}

class TerminatorScanner {
  private readonly done: Buffer[]
  private readonly failed: Buffer[]
  private readonly window: number
  // Starts as a line break, so a marker at the very first byte is a line start too.
  private edge: Buffer = Buffer.from('\n')
  private complete = false
  /** The upstream's error event (from its marker on, capped), once one went by. */
  errorEvent: string | undefined

  constructor(terminator: Markers, errorMarker: Markers) {
    this.done = buffersOf(terminator)
    this.failed = buffersOf(errorMarker)
    this.window = Math.max(...this.done.map((marker) => marker.length), ...this.failed.map((marker) => marker.length)) - 1
  }

  get finished(): boolean {
    return this.complete || this.errorEvent !== undefined
  }

  scan(chunk: Uint8Array): void {
    if (this.errorEvent !== undefined) {
      if (this.errorEvent.length < ERROR_CAPTURE_LIMIT) this.errorEvent += new TextDecoder().decode(chunk)
      return
    }
    if (this.complete) return
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    const seam = Buffer.concat([this.edge, bytes.subarray(0, this.window)])
    const inSeam = firstOf(seam, this.failed)
    if (inSeam !== -1) {
      this.errorEvent = new TextDecoder().decode(Buffer.concat([seam.subarray(inSeam), bytes.subarray(this.window)]))
      return
    }
    const at = firstOf(bytes, this.failed)
    if (at !== -1) {
      this.errorEvent = new TextDecoder().decode(bytes.subarray(at))
      return
    }
    this.complete = firstOf(bytes, this.done) !== -1 || firstOf(seam, this.done) !== -1
    // The last `window` bytes seen, which may span several short chunks.
    const tail = bytes.length >= this.window ? bytes : seam.subarray(0, this.edge.length + bytes.length)
    this.edge = Buffer.from(tail.subarray(Math.max(0, tail.length - this.window)))
  }
}

/** The GatewayError an upstream error event stands for, read by the dialect's own decoder. */
async function decodeErrorEvent(codec: DialectCodec, text: string): Promise<GatewayError> {
  try {
    const events = codec.decodeStream(decodeSse(oneChunk(new TextEncoder().encode(text))))
    for await (const _ of events) {
      // Decoding throws at the error event; anything before it is irrelevant here.
    }
  } catch (error) {
    return toGatewayError(error)
  }
  return upstreamErrorEvent()
}

async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes
}

function upstreamErrorEvent(): GatewayError {
  return badGateway('upstream reported an error mid-stream')
}
