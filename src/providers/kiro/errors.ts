// Kiro failures as GatewayErrors: HTTP error answers and exception or error
// frames inside a 200 event stream (docs/protocols.md#kiro-errors).
import {
  GatewayError,
  kindForStatus,
  type ErrorKind,
  badGateway,
  badRequest,
  forbidden,
  quotaExhausted,
  rateLimited,
  unauthorized,
} from '../../errors/gateway-error.ts'
import { retryAfterFromHeaders } from '../../upstream/http.ts'
import { parseJsonObject } from '../../json/read.ts'

const MAX_DETAIL = 500
const SUSPENDED = /suspended|terms|violation|not authorized to access/i
const MONTHLY_QUOTA = /MONTHLY_REQUEST_COUNT/

/** Epoch ms of the next 1st of the month, 00:00 UTC, when Kiro's monthly quota resets. */
export function nextMonthStartUtc(now: number): number {
  const date = new Date(now)
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1)
}

const monthlyQuotaExhausted = (message: string, now: number, upstreamStatus?: number) =>
  quotaExhausted(message, {
    retryAfterMs: nextMonthStartUtc(now) - now,
    computedReset: true,
    ...(upstreamStatus === undefined ? {} : { upstreamStatus }),
  })

/** A 401, or a 403 whose text says the bearer token is bad (not a suspended account): refreshing may help. */
export function isTokenRejection(status: number, bodyText: string): boolean {
  if (status === 401) return true
  if (status !== 403 || SUSPENDED.test(bodyText)) return false
  return /token|authori[sz]ation|credential/i.test(bodyText) && /expired|invalid|unauthori[sz]ed/i.test(bodyText)
}

/** A non-2xx answer of generateAssistantResponse. */
export function kiroHttpError(status: number, bodyText: string, headers: Headers, now: number): GatewayError {
  const body = parseJsonObject(bodyText)
  const type = errorType(headers, body)
  const message = typeof body?.message === 'string' ? body.message : typeof body?.Message === 'string' ? body.Message : bodyText
  const reason = typeof body?.reason === 'string' ? body.reason : undefined
  const detail = `Kiro answered ${status}${type ? ` ${type}` : ''}: ${message}${reason ? ` (${reason})` : ''}`.slice(0, MAX_DETAIL)
  const retryAfterMs = retryAfterFromHeaders(headers, now)
  const member = { scope: 'member' as const, upstreamStatus: status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }

  if (status === 400) return badRequest(detail, { upstreamStatus: status })
  if (status === 402 || MONTHLY_QUOTA.test(bodyText)) return monthlyQuotaExhausted(detail, now, status)
  if (status === 401) return unauthorized(detail, member)
  if (status === 403) return forbidden(detail, member)
  if (status === 429) return rateLimited(detail, member)
  if (status >= 500) return new GatewayError(status, kindForStatus(status), detail, member)
  // Any other status (404, 405, …) means a wrong URL or a changed service, not a bad request.
  return badGateway(detail, member)
}

const EXCEPTION_STATUS: Readonly<Record<string, [number, ErrorKind]>> = {
  ThrottlingException: [429, 'rate_limited'],
  ValidationException: [400, 'invalid_request'],
  AccessDeniedException: [403, 'permission'],
  InternalServerException: [500, 'upstream_error'],
  ServiceUnavailableException: [503, 'unavailable'],
}

/** An exception (or generic error) frame inside a 200 stream. */
export function kiroStreamError(type: string | undefined, message: string, now: number): GatewayError {
  const name = type ?? 'UnknownError'
  const detail = `Kiro stream failed with ${name}: ${message}`.slice(0, MAX_DETAIL)
  if (MONTHLY_QUOTA.test(message)) return monthlyQuotaExhausted(detail, now)
  const [status, kind] = EXCEPTION_STATUS[name] ?? [502, 'bad_gateway']
  return new GatewayError(status, kind, detail, { scope: status === 400 ? 'request' : 'member' })
}

/** The AWS error type: `x-amzn-errortype` (minus a `:namespace` suffix), or `__type`/`code` in the body. */
function errorType(headers: Headers, body: Record<string, unknown> | undefined): string | undefined {
  const header = headers.get('x-amzn-errortype')
  if (header) return header.split(':')[0]?.trim() || undefined
  const field = body?.__type ?? body?.code
  if (typeof field !== 'string' || field === '') return undefined
  return field.split('#').at(-1)
}
