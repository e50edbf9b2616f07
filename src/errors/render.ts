// Renders a GatewayError as a complete HTTP answer; the body's shape is the client
// dialect's business (its codec's encodeError).
import { type GatewayError, trustedRetryAfterMs } from './gateway-error.ts'

/** Whatever turns an error into the body a client expects (a dialect codec). */
export interface ErrorEncoder {
  encodeError(error: GatewayError): unknown
}

/** A complete error response, with Retry-After when the error knows when to come back. */
export function errorResponse(encoder: ErrorEncoder, error: GatewayError, headers?: Headers | Record<string, string>): Response {
  const out = new Headers(headers)
  out.set('content-type', 'application/json')
  const retryAfterMs = trustedRetryAfterMs(error)
  if (retryAfterMs !== undefined && (error.status === 429 || error.status === 503)) {
    out.set('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))))
  }
  return new Response(JSON.stringify(encoder.encodeError(error)), { status: error.status, headers: out })
}
