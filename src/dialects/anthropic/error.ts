// Anthropic error bodies (`{"type":"error","error":{type,message}}`), whether they come
// as an HTTP error response or as an `error` event inside a started stream.
import { type ErrorKind, GatewayError, kindForStatus } from '../../errors/gateway-error.ts'
import { retryAfterFromHeaders } from '../../upstream/http.ts'
import { isRecord, parseJson } from '../../json/read.ts'

/** The HTTP status Anthropic uses for each error type (for errors that arrive without one). */
const STATUS_BY_TYPE: Record<string, number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
}

// A 400 that is really the account's fault: another member may still have credit.
const OUT_OF_CREDIT = /credit balance is too low|reached your specified (api )?usage limits/i

interface ErrorPayload {
  type?: string
  message?: string
}

function readPayload(value: unknown): ErrorPayload {
  const error = isRecord(value) && isRecord(value.error) ? value.error : undefined
  const payload: ErrorPayload = {}
  if (typeof error?.type === 'string') payload.type = error.type
  if (typeof error?.message === 'string' && error.message !== '') payload.message = error.message
  return payload
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat
}

function buildError(status: number, payload: ErrorPayload, fallbackMessage: string, retryAfterMs?: number): GatewayError {
  const message = payload.message ?? fallbackMessage
  const quota = status === 402 || payload.type === 'billing_error' || (status === 400 && OUT_OF_CREDIT.test(message))
  const kind: ErrorKind = quota ? 'quota_exhausted' : kindForStatus(status)
  return new GatewayError(status, kind, message, {
    upstreamStatus: status,
    ...(quota ? { scope: 'member' as const } : {}),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  })
}

/**
 * A non-2xx Anthropic response as a GatewayError. The status is kept; the scope follows it
 * (400/404/413: the request's fault; 401/403/429/5xx/529: this member's), except that
 * billing and out-of-credit errors blame the member.
 */
export function decodeAnthropicError(status: number, bodyText: string, headers: Headers): GatewayError {
  const payload = readPayload(parseJson(bodyText))
  const text = snippet(bodyText)
  const fallback = text === '' ? `upstream answered ${status} with an empty body` : `upstream answered ${status}: ${text}`
  return buildError(status, payload, payload.type === undefined ? fallback : payload.type, retryAfterFromHeaders(headers))
}

/** An error delivered inside a 200 (a stream's `error` event or an error-typed body). */
export function anthropicErrorFromPayload(value: unknown): GatewayError {
  const payload = readPayload(value)
  const status = (payload.type === undefined ? undefined : STATUS_BY_TYPE[payload.type]) ?? 502
  return buildError(status, payload, `upstream reported ${payload.type ?? 'an unknown error'}`)
}
