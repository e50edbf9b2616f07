// Response bodies for answers: frame generators and passthrough bytes, where any started
// stream that fails ends with the client dialect's error event instead of a silent cut.
import { GatewayError, toGatewayError } from '../errors/gateway-error.ts'
import { errorBody, streamErrorFrame } from '../errors/render.ts'
import type { Dialect } from '../dialects/types.ts'

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

/**
 * Upstream SSE bytes passed to the client unchanged. A small scanner (the last bytes of
 * the previous chunk plus the current one) notices whether the dialect's terminator went
 * by; a stream that ends without it, or breaks, gets the dialect's error event appended.
 */
export function passthroughBody(chunks: AsyncIterable<Uint8Array>, dialect: Dialect, hooks: BodyHooks): ReadableStream<Uint8Array> {
  const marker = TERMINATOR[dialect]
  const decoder = new TextDecoder()
  let tail = ''
  let complete = false
  async function* checked(): AsyncGenerator<Uint8Array> {
    for await (const chunk of chunks) {
      if (!complete) {
        const text = tail + decoder.decode(chunk, { stream: true })
        complete = text.includes(marker)
        tail = text.slice(-marker.length)
      }
      yield chunk
    }
    if (!complete) throw new GatewayError(502, 'bad_gateway', 'upstream stream ended before it finished', { scope: 'member' })
  }
  return guardedBody(checked(), (chunk) => chunk, (error) => streamErrorFrame(dialect, error), hooks)
}
