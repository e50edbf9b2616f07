// A GatewayError as an OpenAI client expects it: the JSON error body, and the same body as
// the last SSE frame of a stream that already started (no `[DONE]` after it).
import type { ErrorKind, GatewayError } from '../../errors/gateway-error.ts'
import { sseFrame } from '../../upstream/sse.ts'

const ERROR_TYPE: Record<ErrorKind, string> = {
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

export function encodeOpenAIError(error: GatewayError): unknown {
  return { error: { message: error.message, type: ERROR_TYPE[error.kind], code: error.kind } }
}

export function encodeOpenAIStreamError(error: GatewayError): string {
  return sseFrame(JSON.stringify(encodeOpenAIError(error)))
}
