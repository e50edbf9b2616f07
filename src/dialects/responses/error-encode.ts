// Errors for a Responses client: the OpenAI error body, and in a stream that already
// started the `error` event, which ends it (the official SDK throws it as an APIError).
import type { GatewayError } from '../../errors/gateway-error.ts'
import { sseFrame } from '../../upstream/sse.ts'
import { encodeOpenAIError } from '../openai/error-encode.ts'

export function encodeResponsesStreamError(error: GatewayError): string {
  const { error: detail } = encodeOpenAIError(error) as { error: Record<string, unknown> }
  // The stream's own counter is out of reach here; the error event is always the last one.
  return sseFrame(JSON.stringify({ type: 'error', sequence_number: 0, code: detail.code, message: detail.message, param: null }), 'error')
}
