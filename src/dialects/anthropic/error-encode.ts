// A GatewayError as an Anthropic client expects it: the JSON error body, and the
// `event: error` frame that ends a stream which already started.
import type { ErrorKind, GatewayError } from '../../errors/gateway-error.ts'
import { sseFrame } from '../../upstream/sse.ts'

const ERROR_TYPE: Record<ErrorKind, string> = {
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

export function encodeAnthropicError(error: GatewayError): unknown {
  return { type: 'error', error: { type: ERROR_TYPE[error.kind], message: error.message } }
}

export function encodeAnthropicStreamError(error: GatewayError): string {
  return sseFrame(JSON.stringify(encodeAnthropicError(error)), 'error')
}
