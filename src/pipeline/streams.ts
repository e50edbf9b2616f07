// Response bodies for answers: frame generators and passthrough bytes, where any started
// stream that fails ends with the client dialect's error event instead of a silent cut.
import { GatewayError, toGatewayError } from '../errors/gateway-error.ts'
import { errorBody, streamErrorFrame } from '../errors/render.ts'
import { decodeSse } from '../dialects/sse.ts'
import type { Dialect, DialectCodec } from '../dialects/types.ts'

export interface BodyHooks {
  /** The answer ended (completed, failed or cancelled by the client). Called once. */
  onEnd(error?: GatewayError): void
}

/**
 * A response body from a chunk generator. A failure after the first chunk becomes the
 * client dialect's error event; a client disconnect stops the generator (and so the upstream).
 */
function guardedBody<T>(items: AsyncIterable<T>, toBytes: (item: T) => Uint8Array, errorFrame: (error: GatewayError) => string, hooks: BodyHooks): ReadableStream<Uint8Array> {
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
        controller.enqueue(new TextEncoder().encode(errorFrame(error)))
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
  return guardedBody(frames, (frame) => encoder.encode(frame), (error) => streamErrorFrame(dialect, error), hooks)
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

/** What marks a complete stream of each dialect, for byte passthrough without parsing. */
const TERMINATOR: Record<Dialect, string> = {
  openai: 'data: [DONE]',
  anthropic: 'message_stop',
  gemini: '"finishReason"',
}

/** What starts the upstream's own in-stream error event: it ends the stream, already told. */
const ERROR_EVENT: Record<Dialect, string> = {
  openai: 'data: {"error"',
  anthropic: 'event: error',
  gemini: 'data: {"error"',
}

/** Enough of an error event to read its status and message. */
const ERROR_CAPTURE_LIMIT = 64 * 1024

/**
 * Upstream SSE bytes passed to the client unchanged. A small scanner (the last bytes of
 * the previous chunk plus the current one) watches for the dialect's terminator and for the
 * upstream's own error event. A stream that ends without either, or breaks, gets the
 * dialect's error event appended; an upstream error event is left as the last word, and
 * decoded (by `codec`) so the member is charged with what really happened.
 */
export function passthroughBody(chunks: AsyncIterable<Uint8Array>, codec: DialectCodec, hooks: BodyHooks): ReadableStream<Uint8Array> {
  const dialect = codec.dialect
  const markers = [TERMINATOR[dialect], ERROR_EVENT[dialect]] as const
  const window = Math.max(...markers.map((marker) => marker.length))
  const decoder = new TextDecoder()
  let tail = ''
  let complete = false
  let errorEvent: string | undefined
  async function* checked(): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      if (errorEvent !== undefined) {
        if (errorEvent.length < ERROR_CAPTURE_LIMIT) errorEvent += decoder.decode(chunk, { stream: true })
      } else if (!complete) {
        const text = tail + decoder.decode(chunk, { stream: true })
        const at = text.indexOf(markers[1])
        if (at !== -1) errorEvent = text.slice(at)
        else complete = text.includes(markers[0])
        tail = text.slice(-window)
      }
      yield chunk
    }
    if (!complete && errorEvent === undefined) throw new GatewayError(502, 'bad_gateway', 'upstream stream ended before it finished', { scope: 'member' })
  }
  const reported: BodyHooks = {
    onEnd(error) {
      if (error || errorEvent === undefined) return hooks.onEnd(error)
      decodeErrorEvent(codec, errorEvent).then(hooks.onEnd, () => hooks.onEnd(upstreamErrorEvent()))
    },
  }
  return guardedBody(checked(), (chunk) => chunk, (error) => streamErrorFrame(dialect, error), reported)
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
