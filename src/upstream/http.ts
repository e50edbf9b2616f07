// The one place providers call upstreams: fetch with a time-to-first-byte limit and the
// client's abort signal, network failures turned into member-scoped GatewayErrors.
import { GatewayError, kindForStatus, badGateway, clientClosed, gatewayTimeout } from '../errors/gateway-error.ts'

/** A request to an upstream; headers as a plain object (cheaper than a Headers instance). */
export interface UpstreamInit {
  method?: string
  headers?: Record<string, string>
  body?: string
}

export interface UpstreamFetchOptions {
  /** Longest wait for the response headers. */
  timeoutMs: number
  /** The client's signal: aborting it cancels the upstream call. */
  signal?: AbortSignal
  fetch?: typeof fetch
}

/**
 * Calls the upstream. Resolves with the response whatever its status (the caller decides
 * what a non-2xx means in its dialect); rejects with a GatewayError on network failure
 * (502), timeout to first byte (504) or client abort (499-like, scope `request`).
 */
export async function upstreamFetch(url: string, init: UpstreamInit, options: UpstreamFetchOptions): Promise<Response> {
  const controller = new AbortController()
  const onClientAbort = () => controller.abort(options.signal?.reason)
  if (options.signal?.aborted) throw clientGone()
  options.signal?.addEventListener('abort', onClientAbort, { once: true })
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, options.timeoutMs)
  try {
    // Ask for identity encoding: Bun would decompress but keep content-encoding (docs/protocols.md#compressed-answers).
    const headers = { ...init.headers, 'accept-encoding': 'identity' }
    const response = await (options.fetch ?? fetch)(url, { ...init, headers, signal: controller.signal })
    if (controller.signal.aborted && !options.signal?.aborted) throw timeoutError(options.timeoutMs)
    // The body keeps the controller: a later client abort still cancels the stream.
    return response
  } catch (error) {
    if (error instanceof GatewayError) throw error
    if (options.signal?.aborted) throw clientGone()
    if (timedOut) throw timeoutError(options.timeoutMs)
    const message = error instanceof Error ? error.message : String(error)
    throw badGateway(`upstream unreachable: ${message}`, { cause: error })
  } finally {
    clearTimeout(timer)
  }
}

function timeoutError(ms: number): GatewayError {
  return gatewayTimeout(`upstream sent no response within ${ms} ms`)
}

/** The client went away; nothing to answer and nothing to blame on the member. */
export function clientGone(): GatewayError {
  return clientClosed('client closed the request')
}

/**
 * Milliseconds to wait according to `retry-after-ms` or `retry-after` (seconds or an
 * HTTP date), or undefined.
 */
export function retryAfterFromHeaders(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms')
  if (ms !== null && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms))
  const value = headers.get('retry-after')
  if (value === null) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000)
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * A generic GatewayError for a non-2xx upstream answer whose body is not in a known
 * dialect. Dialect-aware decoding lives in each codec's `decodeError`.
 */
export function upstreamStatusError(status: number, message: string, headers: Headers): GatewayError {
  const retryAfterMs = retryAfterFromHeaders(headers)
  return new GatewayError(status, kindForStatus(status), message, {
    upstreamStatus: status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  })
}
