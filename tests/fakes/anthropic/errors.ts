// Anthropic's error body `{"type":"error","error":{type,message},"request_id"}` (docs/protocols.md#anthropic-errors) and the status scenarios tests reach for most often.
import type { Scenario } from '../shared/scenario.ts'

export interface AnthropicErrorBody {
  type: 'error'
  error: { type: string; message: string }
  request_id?: string
}

/** Without `requestId` the fake fills in the request's id when it sends the body. */
export function anthropicErrorBody(type: string, message: string, requestId?: string): AnthropicErrorBody {
  return { type: 'error', error: { type, message }, ...(requestId === undefined ? {} : { request_id: requestId }) }
}

/** A status scenario with an Anthropic-shaped body. */
export function anthropicError(status: number, type: string, message: string, headers?: Record<string, string>): Scenario {
  return { kind: 'status', status, body: anthropicErrorBody(type, message), ...(headers ? { headers } : {}) }
}

/** 429 with `retry-after` and the `anthropic-ratelimit-*` headers; the reset time is `now + retry`. */
export function anthropicRateLimited(retryAfterSeconds = 1, now: number = Date.now()): Scenario {
  const reset = new Date(now + retryAfterSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  return anthropicError(429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit.', {
    'retry-after': String(retryAfterSeconds),
    'anthropic-ratelimit-requests-limit': '50',
    'anthropic-ratelimit-requests-remaining': '0',
    'anthropic-ratelimit-requests-reset': reset,
    'anthropic-ratelimit-tokens-limit': '40000',
    'anthropic-ratelimit-tokens-remaining': '0',
    'anthropic-ratelimit-tokens-reset': reset,
  })
}

/** 529 overloaded. */
export function anthropicOverloaded(): Scenario {
  return anthropicError(529, 'overloaded_error', 'Overloaded')
}

const TYPE_BY_STATUS: Record<number, [string, string]> = {
  400: ['invalid_request_error', 'Invalid request.'],
  401: ['authentication_error', 'invalid x-api-key'],
  402: ['billing_error', 'Your credit balance is too low to access the Anthropic API.'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'The requested resource could not be found.'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  429: ['rate_limit_error', 'Number of requests has exceeded your rate limit.'],
  500: ['api_error', 'Internal server error'],
  529: ['overloaded_error', 'Overloaded'],
}

/** The error Anthropic usually sends with `status`. */
export function defaultAnthropicError(status: number, requestId: string): AnthropicErrorBody {
  const known = TYPE_BY_STATUS[status]
  if (known) return anthropicErrorBody(known[0], known[1], requestId)
  return status >= 500
    ? anthropicErrorBody('api_error', 'Internal server error', requestId)
    : anthropicErrorBody('invalid_request_error', `Request failed with status ${status}.`, requestId)
}

/** Adds the request id to an Anthropic error body that lacks one; other bodies pass unchanged. */
export function withRequestId(body: unknown, requestId: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body
  const record = body as Record<string, unknown>
  if (record.type !== 'error' || 'request_id' in record) return body
  return { ...record, request_id: requestId }
}
