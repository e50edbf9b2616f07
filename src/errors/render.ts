// Renders a GatewayError in the client's dialect: as a JSON body, or as the error event
// that ends a stream which has already started.
import type { Dialect } from '../dialects/types.ts'
import type { ErrorKind, GatewayError } from './gateway-error.ts'

const OPENAI_TYPE: Record<ErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  payload_too_large: 'invalid_request_error',
  rate_limited: 'rate_limit_exceeded',
  quota_exhausted: 'insufficient_quota',
  upstream_error: 'server_error',
  bad_gateway: 'server_error',
  unavailable: 'service_unavailable',
  timeout: 'timeout',
  not_implemented: 'not_implemented',
  internal: 'server_error',
}

const ANTHROPIC_TYPE: Record<ErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  payload_too_large: 'request_too_large',
  rate_limited: 'rate_limit_error',
  quota_exhausted: 'rate_limit_error',
  upstream_error: 'api_error',
  bad_gateway: 'api_error',
  unavailable: 'overloaded_error',
  timeout: 'timeout_error',
  not_implemented: 'api_error',
  internal: 'api_error',
}

const GEMINI_STATUS: Record<ErrorKind, string> = {
  invalid_request: 'INVALID_ARGUMENT',
  authentication: 'UNAUTHENTICATED',
  permission: 'PERMISSION_DENIED',
  not_found: 'NOT_FOUND',
  payload_too_large: 'INVALID_ARGUMENT',
  rate_limited: 'RESOURCE_EXHAUSTED',
  quota_exhausted: 'RESOURCE_EXHAUSTED',
  upstream_error: 'INTERNAL',
  bad_gateway: 'INTERNAL',
  unavailable: 'UNAVAILABLE',
  timeout: 'DEADLINE_EXCEEDED',
  not_implemented: 'UNIMPLEMENTED',
  internal: 'INTERNAL',
}

/** The error body a client of `dialect` expects. */
export function errorBody(dialect: Dialect, error: GatewayError): unknown {
  switch (dialect) {
    case 'openai':
      return { error: { message: error.message, type: OPENAI_TYPE[error.kind], code: error.kind } }
    case 'anthropic':
      return { type: 'error', error: { type: ANTHROPIC_TYPE[error.kind], message: error.message } }
    case 'gemini':
      return { error: { code: error.status, message: error.message, status: GEMINI_STATUS[error.kind] } }
  }
}

/** The SSE frame that ends a started stream with an error (OpenAI: no `[DONE]` after it). */
export function streamErrorFrame(dialect: Dialect, error: GatewayError): string {
  const body = JSON.stringify(errorBody(dialect, error))
  return dialect === 'anthropic' ? `event: error\ndata: ${body}\n\n` : `data: ${body}\n\n`
}

/** A complete error response, with Retry-After when the error knows when to come back. */
export function errorResponse(dialect: Dialect, error: GatewayError, headers?: Headers | Record<string, string>): Response {
  const out = new Headers(headers)
  out.set('content-type', 'application/json')
  if (error.retryAfterMs !== undefined && (error.status === 429 || error.status === 503)) {
    out.set('retry-after', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))))
  }
  return new Response(JSON.stringify(errorBody(dialect, error)), { status: error.status, headers: out })
}
