// Reading an upstream answer's body: a silence longer than the idle limit is a 504, a
// broken connection a 502 (or nothing to blame when our own client went away).
import { GatewayError, badGateway, gatewayTimeout } from '../errors/gateway-error.ts'
import { clientGone } from './http.ts'

/**
 * One timer per body, re-armed lazily: each chunk only records the time, so the per-chunk
 * cost is a clock read, not a timer.
 */
export class IdleWatch {
  private last: number
  private timer: ReturnType<typeof setTimeout> | undefined
  expired = false

  constructor(
    private readonly idleMs: number,
    private readonly now: () => number,
    private readonly onExpire: () => void,
  ) {
    this.last = now()
    this.arm(idleMs)
  }

  touch(): void {
    this.last = this.now()
  }

  stop(): void {
    clearTimeout(this.timer)
  }

  error(): GatewayError {
    return gatewayTimeout(`upstream went silent for more than ${this.idleMs} ms`)
  }

  private arm(ms: number): void {
    this.timer = setTimeout(() => {
      const silent = this.now() - this.last
      if (silent >= this.idleMs) {
        this.expired = true
        this.onExpire()
      } else this.arm(this.idleMs - silent)
    }, ms)
  }
}

/** What a failed body read means. */
export function bodyReadError(error: unknown, signal?: AbortSignal): GatewayError {
  if (error instanceof GatewayError) return error
  // The drain stops a stream with its own reason; any other abort is the client leaving.
  if (signal?.aborted) return signal.reason instanceof GatewayError ? signal.reason : clientGone()
  return badGateway(`upstream connection failed mid-answer: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  })
}

/**
 * The body's chunks under the idle limit, as a plain async iterator over the reader (this
 * sits under every converted stream, so it avoids a generator step per chunk).
 */
export function readBody(body: ReadableStream<Uint8Array> | null, idleMs: number, now: () => number, signal?: AbortSignal): AsyncIterable<Uint8Array> {
  if (!body) return { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true as const, value: undefined }) }) }
  const reader = body.getReader()
  const watch = new IdleWatch(idleMs, now, () => void reader.cancel().catch(() => {}))
  let open = true
  const close = (cancel: boolean) => {
    if (!open) return
    open = false
    watch.stop()
    if (cancel && !watch.expired) reader.cancel().catch(() => {})
  }
  const iterator: AsyncIterator<Uint8Array> = {
    async next() {
      if (!open) return { done: true, value: undefined }
      let chunk: Awaited<ReturnType<typeof reader.read>>
      try {
        chunk = await reader.read()
      } catch (error) {
        close(false)
        throw bodyReadError(error, signal)
      }
      if (watch.expired) {
        close(false)
        throw watch.error()
      }
      if (chunk.done) {
        close(false)
        return { done: true, value: undefined }
      }
      watch.touch()
      return { done: false, value: chunk.value }
    },
    async return() {
      close(true)
      return { done: true, value: undefined }
    },
  }
  return { [Symbol.asyncIterator]: () => iterator }
}

/**
 * The whole body, refused (502, so another member may serve) once it passes `maxBytes`. A
 * plain Content-Length bounds the body by HTTP framing, so that case is read natively in one
 * go; a chunked or compressed body is counted as it arrives.
 */
export async function readCappedBytes(response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = response.headers.get('content-length')
  const encoded = response.headers.has('content-encoding')
  if (declared !== null && Number(declared) > maxBytes && !encoded) throw tooLarge(response, maxBytes)
  if (declared !== null && !encoded) return response.bytes()
  if (!response.body) return new Uint8Array(0)
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) throw tooLarge(response, maxBytes, reader)
    chunks.push(value)
  }
  return chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks, total)
}

/** The whole body as text, capped like `readCappedBytes`. */
export async function readCappedText(response: Response, maxBytes: number): Promise<string> {
  return new TextDecoder().decode(await readCappedBytes(response, maxBytes))
}

function tooLarge(response: Response, maxBytes: number, reader?: { cancel(): Promise<void> }): GatewayError {
  if (reader) reader.cancel().catch(() => {})
  else response.body?.cancel().catch(() => {})
  return badGateway(`upstream answer is larger than MAX_RESPONSE_BODY_BYTES (${maxBytes} bytes)`)
}

/** The whole (non-stream) body, which must arrive within `limitMs` of the headers and stay under `maxBytes`. */
export async function readWholeBody(response: Response, limitMs: number, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      response.body?.cancel().catch(() => {})
      reject(gatewayTimeout(`upstream answer did not arrive within ${limitMs} ms`))
    }, limitMs)
  })
  try {
    return await Promise.race([readCappedBytes(response, maxBytes), expired])
  } catch (error) {
    throw bodyReadError(error, signal)
  } finally {
    clearTimeout(timer)
  }
}

/** Whose body it is: the member's idle limit, and the client's signal (a read failing because it left blames nobody). */
export interface BodyWatch {
  idleMs: number
  /** Largest whole body `bytes()` holds in memory. */
  maxBytes: number
  now: () => number
  signal?: AbortSignal
}

/**
 * An upstream answer's body that carries its own idle limit, so whoever reads it gets a 504
 * on silence without knowing whose limit it is.
 */
export interface WatchedBody {
  /** The chunks as they arrive (a stream answer). */
  chunks(): AsyncIterable<Uint8Array>
  /** The whole body (a non-stream answer), which must arrive within the limit. */
  bytes(): Promise<Uint8Array>
}

export function watchBody(response: Response, watch: BodyWatch): WatchedBody {
  return {
    chunks: () => readBody(response.body, watch.idleMs, watch.now, watch.signal),
    bytes: () => readWholeBody(response, watch.idleMs, watch.maxBytes, watch.signal),
  }
}
