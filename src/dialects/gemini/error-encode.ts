// A GatewayError as a Gemini client expects it: the google.rpc-style JSON error body, also
// sent as the last SSE frame of a stream that already started.
import type { ErrorKind, GatewayError } from '../../errors/gateway-error.ts'
import { sseFrame } from '../../upstream/sse.ts'

const ERROR_STATUS: Record<ErrorKind, string> = {
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

export function encodeGeminiError(error: GatewayError): unknown {
  return { error: { code: error.status, message: error.message, status: ERROR_STATUS[error.kind] } }
}

export function encodeGeminiStreamError(error: GatewayError): string {
  return sseFrame(JSON.stringify(encodeGeminiError(error)))
}
