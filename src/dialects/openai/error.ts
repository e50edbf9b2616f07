// An upstream error (HTTP error body, or an `error` object inside a 200 stream) → GatewayError.
// The upstream status is kept; scope decides failover: the request's fault (400, 404, 413,
// 422) is answered at once, the member's (401, 403, 429, 5xx) counts against it.
import { GatewayError, kindForStatus, type ErrorKind, type ErrorScope, badGateway } from '../../errors/gateway-error.ts'
import { retryAfterFromHeaders } from '../../upstream/http.ts'
import { isRecord, parseJson } from '../../json/read.ts'

const SNIPPET_LENGTH = 300
const MEMBER_STATUSES = new Set([401, 402, 403, 408, 429])

interface UpstreamErrorDetail {
  message?: string
  type?: string
  code?: string | number
}

export function decodeOpenAIError(status: number, bodyText: string, headers: Headers, now: number): GatewayError {
  const detail = errorDetail(parseJson(bodyText))
  const message = detail.message ?? fallbackMessage(status, bodyText)
  const retryAfterMs = retryAfterFromHeaders(headers, now)
  return upstreamError(status, detail, message, retryAfterMs)
}

/**
 * An error object inside a 200 answer (`data: {"error":{…}}` in a stream, or an error body
 * sent with 200): the status comes from a numeric code, else 502.
 */
export function decodeInBandError(payload: unknown): GatewayError {
  const detail = errorDetail(payload)
  const code = Number(detail.code)
  const status = Number.isInteger(code) && code >= 400 && code <= 599 ? code : 502
  return upstreamError(status, detail, detail.message ?? 'upstream reported an error without a message', undefined)
}

function upstreamError(status: number, detail: UpstreamErrorDetail, message: string, retryAfterMs: number | undefined): GatewayError {
  if (status < 400 || status > 599) {
    return badGateway(`upstream returned HTTP ${status}: ${message}`, { upstreamStatus: status })
  }
  return new GatewayError(status, errorKind(status, detail), message, {
    scope: errorScope(status),
    upstreamStatus: status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  })
}

function errorKind(status: number, detail: UpstreamErrorDetail): ErrorKind {
  if (status === 429 && (detail.code === 'insufficient_quota' || detail.type === 'insufficient_quota')) return 'quota_exhausted'
  return kindForStatus(status)
}

function errorScope(status: number): ErrorScope {
  return status >= 500 || MEMBER_STATUSES.has(status) ? 'member' : 'request'
}

/** `{error:{message,type,code}}`, plus the shapes compatible servers use instead. */
function errorDetail(body: unknown): UpstreamErrorDetail {
  if (!isRecord(body)) return {}
  const source = isRecord(body.error) ? body.error : body
  const detail: UpstreamErrorDetail = {}
  if (typeof body.error === 'string' && body.error !== '') detail.message = body.error
  if (typeof source.message === 'string' && source.message !== '') detail.message = source.message
  if (typeof source.type === 'string') detail.type = source.type
  if (typeof source.code === 'string' || typeof source.code === 'number') detail.code = source.code
  return detail
}

function fallbackMessage(status: number, bodyText: string): string {
  const snippet = bodyText.replace(/\s+/g, ' ').trim()
  if (snippet === '') return `upstream returned HTTP ${status} with an empty body`
  const cut = snippet.length > SNIPPET_LENGTH ? `${snippet.slice(0, SNIPPET_LENGTH)}…` : snippet
  return `upstream returned HTTP ${status}: ${cut}`
}
