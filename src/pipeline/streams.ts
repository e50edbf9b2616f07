// Response bodies for answers: frame generators and passthrough bytes, where any started
// stream that fails ends with the client dialect's error event instead of a silent cut.
import { GatewayError, toGatewayError } from '../errors/gateway-error.ts'
import { errorForClient } from '../errors/for-client.ts'
import { errorBody, streamErrorFrame } from '../errors/render.ts'
import { decodeSse } from '../upstream/sse.ts'
import { bodyReadError, IdleWatch } from '../upstream/body.ts'
import type { Dialect, DialectCodec } from '../dialects/types.ts'

export interface BodyHooks {
  /** The answer ended (completed, failed or cancelled by the client). Called once. */
  onEnd(error?: GatewayError): void
  /** Masks secrets and server paths in the text of an error event. */
  forClient(text: string): string
}

/**
 * A response body from a chunk generator. A failure after the first chunk becomes the
 * client dialect's error event; a client disconnect stops the generator (and so the upstream).
 */
function guardedBody<T>(
  items: AsyncIterable<T>,
  toBytes: (item: T) => Uint8Array,
  errorFrame: (error: GatewayError) => string,
  hooks: BodyHooks,
): ReadableStream<Uint8Array> {
  const iterator = items[Symbol.asyncIterator]()
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
        } else controller.enqueue(toBytes(next.value))
      } catch (thrown) {
        const error = toGatewayError(thrown)
        end(error)
        controller.enqueue(new TextEncoder().encode(errorFrame(errorForClient(error, hooks.forClient))))
        controller.close()
      }
    },
    async cancel() {
      end()
      await iterator.return?.()
    },
  })
}

/** A response body from SSE frames (strings); a failure ends it with the dialect's error event. */
export function frameBody(frames: AsyncIterable<string>, dialect: Dialect, hooks: BodyHooks): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return guardedBody(
    frames,
    (frame) => encoder.encode(frame),
    (error) => streamErrorFrame(dialect, error),
    hooks,
  )
}

/**
 * A response body for Gemini's non-SSE stream form, a streamed JSON array: a failure
 * becomes a last `{"error":…}` element, so the array stays valid JSON.
 */
export function jsonArrayBody(pieces: AsyncIterable<string>, hooks: BodyHooks): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let opened = false
  async function* tracked(): AsyncGenerator<string> {
    for await (const piece of pieces) {
      opened = true
      yield piece
    }
  }
  const errorElement = (error: GatewayError) => {
    const body = JSON.stringify(errorBody('gemini', error))
    return opened ? `,\n${body}]` : `[${body}]`
  }
  return guardedBody(tracked(), (piece) => encoder.encode(piece), errorElement, hooks)
}

/**
 * What marks a complete stream of each dialect, for byte passthrough without parsing.
 * Markers are chosen so answer text cannot fake them: inside JSON strings quotes are
 * escaped, and a line start (newline) only occurs between SSE lines.
 */
const TERMINATOR: Record<Dialect, string> = {
  openai: '\ndata: [DONE]',
  anthropic: '"type":"message_stop"',
  gemini: '"finishReason"',
}

/** What starts the upstream's own in-stream error event: it ends the stream, already told. */
const ERROR_EVENT: Record<Dialect, string> = {
  openai: '\ndata: {"error"',
  anthropic: '\nevent: error',
  gemini: '\ndata: {"error"',
}

/** Enough of an error event to read its status and message. */
const ERROR_CAPTURE_LIMIT = 64 * 1024

export interface PassthroughOptions {
  idleMs: number
  now: () => number
  /** The client's signal: a read that fails because the client left blames nobody. */
  signal?: AbortSignal
}

/**
 * Upstream SSE bytes passed to the client unchanged, pulled straight from the upstream
 * reader. A byte scanner (each chunk plus the seam with the previous one) watches for the
 * dialect's terminator and for the upstream's own error event. A stream that ends without
 * either, breaks, or goes silent gets the dialect's error event appended; an upstream error
 * event is left as the last word and decoded (by `codec`) so the member is charged with
 * what really happened.
 */
export function passthroughBody(upstream: Response, codec: DialectCodec, hooks: BodyHooks, options: PassthroughOptions): ReadableStream<Uint8Array> {
  const dialect = codec.dialect
  const reader = (upstream.body as ReadableStream<Uint8Array>).getReader()
  const watch = new IdleWatch(options.idleMs, options.now, () => void reader.cancel().catch(() => {}))
  const scanner = new TerminatorScanner(TERMINATOR[dialect], ERROR_EVENT[dialect])
  let ended = false
  const end = (error?: GatewayError) => {
    if (ended) return
    ended = true
    watch.stop()
    if (error || scanner.errorEvent === undefined) return hooks.onEnd(error)
    decodeErrorEvent(codec, scanner.errorEvent).then(hooks.onEnd, () => hooks.onEnd(upstreamErrorEvent()))
  }
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: GatewayError) => {
    end(error)
    controller.enqueue(new TextEncoder().encode(streamErrorFrame(dialect, errorForClient(error, hooks.forClient))))
    controller.close()
  }
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: Awaited<ReturnType<typeof reader.read>>
      try {
        chunk = await reader.read()
      } catch (error) {
        return fail(controller, bodyReadError(error, options.signal))
      }
      if (watch.expired) return fail(controller, watch.error())
      if (chunk.done) {
        if (!scanner.finished) return fail(controller, new GatewayError(502, 'bad_gateway', 'upstream stream ended before it finished', { scope: 'member' }))
        end()
        return controller.close()
      }
      watch.touch()
      scanner.scan(chunk.value)
      controller.enqueue(chunk.value)
    },
    async cancel() {
      end()
      await reader.cancel().catch(() => {})
    },
  })
}

/**
 * Finds a terminator or an error-event marker in a byte stream without decoding it:
 * each chunk is searched, plus the seam where a marker may straddle two chunks.
 */
class TerminatorScanner {
  private readonly done: Buffer
  private readonly failed: Buffer
  private readonly window: number
  // Starts as a line break, so a marker at the very first byte is a line start too.
  private edge: Buffer = Buffer.from('\n')
  private complete = false
  /** The upstream's error event (from its marker on, capped), once one went by. */
  errorEvent: string | undefined

  constructor(terminator: string, errorMarker: string) {
    this.done = Buffer.from(terminator)
    this.failed = Buffer.from(errorMarker)
    this.window = Math.max(this.done.length, this.failed.length) - 1
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
    const inSeam = seam.indexOf(this.failed)
    if (inSeam !== -1) {
      this.errorEvent = new TextDecoder().decode(Buffer.concat([seam.subarray(inSeam), bytes.subarray(this.window)]))
      return
    }
    const at = bytes.indexOf(this.failed)
    if (at !== -1) {
      this.errorEvent = new TextDecoder().decode(bytes.subarray(at))
      return
    }
    this.complete = bytes.indexOf(this.done) !== -1 || seam.indexOf(this.done) !== -1
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
  return new GatewayError(502, 'bad_gateway', 'upstream reported an error mid-stream', { scope: 'member' })
}
