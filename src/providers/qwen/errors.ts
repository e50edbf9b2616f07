// Qwen's errors are OpenAI-shaped; its free daily quota running out (403 or 429) is told
// apart from throttling and cools the member down until the quota resets.
import { type GatewayError, quotaExhausted } from '../../errors/gateway-error.ts'
import { decodeOpenAIError } from '../../dialects/openai/error.ts'
import { msUntilNextMidnight } from '../../time/next-midnight.ts'
import { isRecord } from '../../json/read.ts'

/** The free quota resets at midnight Beijing time. */
const QUOTA_TIME_ZONE = 'Asia/Shanghai'
const QUOTA_CODES = new Set(['insufficient_quota', 'quota_exceeded'])

export function decodeQwenError(status: number, bodyText: string, headers: Headers, now: number): GatewayError {
  if ((status === 403 || status === 429) && isQuotaError(bodyText)) {
    const decoded = decodeOpenAIError(status, bodyText, headers, now)
    return quotaExhausted(`Qwen free quota exhausted: ${decoded.message}`, {
      upstreamStatus: status,
      retryAfterMs: msUntilNextMidnight(now, QUOTA_TIME_ZONE),
      computedReset: true,
    })
  }
  return decodeOpenAIError(status, bodyText, headers, now)
}

function isQuotaError(bodyText: string): boolean {
  let body: unknown
  try {
    body = JSON.parse(bodyText)
  } catch {
    return /free allocated quota exceeded/i.test(bodyText)
  }
  const error = isRecord(body) && isRecord(body.error) ? body.error : isRecord(body) ? body : {}
  const codes = [error.code, error.type].filter((value): value is string => typeof value === 'string')
  if (codes.some((code) => QUOTA_CODES.has(code))) return true
  return typeof error.message === 'string' && /free allocated quota exceeded/i.test(error.message)
}
