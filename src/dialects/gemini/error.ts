// Google RPC errors → GatewayError. Body: {"error":{code,message,status,details:[…]}} (an
// array of those from a non-SSE stream), or any text. Retry hints come from RetryInfo,
// ErrorInfo.metadata.quotaResetDelay, Retry-After, then "retry in Ns" in the message.
// A 429 is a daily quota (member out until the Pacific-midnight reset) when ErrorInfo says
// QUOTA_EXHAUSTED or a QuotaFailure names a per-day quota; any other 429 is a rate limit.
import { GatewayError, kindForStatus, type ErrorKind, badGateway, quotaExhausted, rateLimited, unauthorized } from '../../errors/gateway-error.ts'
import { retryAfterFromHeaders } from '../../upstream/http.ts'
import { msUntilPacificMidnight } from './quota-reset.ts'
import { isRecord, type JsonObject, parseJson } from '../../json/read.ts'

const KIND_BY_RPC_STATUS: Record<string, ErrorKind> = {
  INVALID_ARGUMENT: 'invalid_request',
  FAILED_PRECONDITION: 'invalid_request',
  OUT_OF_RANGE: 'invalid_request',
  UNAUTHENTICATED: 'authentication',
  PERMISSION_DENIED: 'permission',
  NOT_FOUND: 'not_found',
  UNIMPLEMENTED: 'not_implemented',
  INTERNAL: 'upstream_error',
  UNKNOWN: 'upstream_error',
  DATA_LOSS: 'upstream_error',
  UNAVAILABLE: 'unavailable',
  DEADLINE_EXCEEDED: 'timeout',
}

const MAX_MESSAGE = 500

/** What the gemini-cli provider may want beyond the GatewayError (e.g. a validation link). */
export interface GoogleErrorFacts {
  message: string
  rpcStatus?: string
  reason?: string
  quotaIds: string[]
  retryAfterMs?: number
}

export function decodeError(status: number, bodyText: string, headers: Headers, now: number = Date.now()): GatewayError {
  return classifyGoogleError(status, parseJson(bodyText) ?? bodyText, headers, now)
}

/** A Google error (parsed body, or raw text) → GatewayError with kind, scope and retry hint. */
const LONG_RETRY_MS = 300_000

export function classifyGoogleError(status: number, body: unknown, headers: Headers, now: number): GatewayError {
  const facts = googleErrorFacts(status, body, headers, now)
  const error = findError(body)
  const code = typeof error?.code === 'number' && error.code >= 400 ? error.code : undefined
  // An error inside a 200 body (a stream's error event) carries its status in `code`.
  const upstreamStatus = status >= 400 ? status : (code ?? 502)
  const hint = facts.retryAfterMs === undefined ? {} : { retryAfterMs: facts.retryAfterMs }

  if (upstreamStatus === 429 || facts.rpcStatus === 'RESOURCE_EXHAUSTED') {
    // A retry delay beyond 5 minutes is a spent quota in all but name (as the Gemini CLI reads it).
    const daily = facts.reason === 'QUOTA_EXHAUSTED' || facts.quotaIds.some((id) => /PerDay|Daily/i.test(id)) || (facts.retryAfterMs ?? 0) > LONG_RETRY_MS
    if (daily) {
      const reset = facts.retryAfterMs === undefined ? { retryAfterMs: msUntilPacificMidnight(now), computedReset: true } : { retryAfterMs: facts.retryAfterMs }
      return quotaExhausted(facts.message, { ...reset, upstreamStatus })
    }
    // A per-minute quota without a hint frees up within the minute.
    const perMinute = facts.retryAfterMs === undefined && facts.quotaIds.some((id) => /PerMinute/i.test(id))
    return rateLimited(facts.message, { upstreamStatus, ...(perMinute ? { retryAfterMs: 60_000 } : hint) })
  }
  // Google answers a bad API key with 400 INVALID_ARGUMENT: that is the member's credential.
  if (facts.reason === 'API_KEY_INVALID') return unauthorized(facts.message, { upstreamStatus })
  // 499 CANCELLED from Google is its own abort, not our client's: a transient member failure.
  if (upstreamStatus === 499) return badGateway(facts.message, { upstreamStatus, ...hint })

  const kind = (facts.rpcStatus === undefined ? undefined : KIND_BY_RPC_STATUS[facts.rpcStatus]) ?? kindForStatus(upstreamStatus)
  const scope = upstreamStatus === 401 || upstreamStatus === 403 || upstreamStatus >= 500 ? 'member' : 'request'
  return new GatewayError(upstreamStatus, kind, facts.message, { scope, upstreamStatus, ...hint })
}

export function googleErrorFacts(status: number, body: unknown, headers: Headers, now: number): GoogleErrorFacts {
  const error = findError(body)
  const details = Array.isArray(error?.details) ? error.details.filter(isRecord) : []
  const detail = (type: string) => details.find((item) => typeof item['@type'] === 'string' && item['@type'].endsWith(`/google.rpc.${type}`))
  const errorInfo = detail('ErrorInfo')
  const quotaFailure = detail('QuotaFailure')
  const message = errorMessage(status, body, error)
  const facts: GoogleErrorFacts = { message, quotaIds: [] }
  if (typeof error?.status === 'string') facts.rpcStatus = error.status
  if (typeof errorInfo?.reason === 'string') facts.reason = errorInfo.reason
  if (Array.isArray(quotaFailure?.violations)) {
    for (const violation of quotaFailure.violations) if (isRecord(violation) && typeof violation.quotaId === 'string') facts.quotaIds.push(violation.quotaId)
  }
  const metadata = isRecord(errorInfo?.metadata) ? errorInfo.metadata : {}
  const retryAfterMs =
    parseDuration(detail('RetryInfo')?.retryDelay) ??
    parseDuration(metadata.quotaResetDelay) ??
    retryAfterFromHeaders(headers, now) ??
    retryFromMessage(message)
  if (retryAfterMs !== undefined) facts.retryAfterMs = retryAfterMs
  return facts
}

function findError(body: unknown): JsonObject | undefined {
  const root = Array.isArray(body) ? body[0] : body
  return isRecord(root) && isRecord(root.error) ? root.error : undefined
}

function errorMessage(status: number, body: unknown, error: JsonObject | undefined): string {
  if (typeof error?.message === 'string' && error.message !== '') return error.message
  const text = typeof body === 'string' ? body.trim() : ''
  if (text === '') return `Gemini upstream answered ${status} with no error message`
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text
}

/** Google Duration strings: "12.5s", "0.2s", also "1h2m3s" in quotaResetDelay. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^(\d+(\.\d+)?(h|ms|m|s))+$/.test(value.trim())) return undefined
  const factor: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }
  let total = 0
  for (const match of value.trim().matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s)/g)) total += Number(match[1]) * (factor[match[2] ?? 's'] ?? 1000)
  return Math.ceil(total)
}

function retryFromMessage(message: string): number | undefined {
  const match = /(?:retry in|after)\s+(\d+(?:\.\d+)?)\s*(ms|s)\b/i.exec(message)
  if (match?.[1] === undefined) return undefined
  return Math.ceil(Number(match[1]) * (match[2]?.toLowerCase() === 'ms' ? 1 : 1000))
}
