// Google RPC error bodies, byte for byte in the shape cloudcode-pa and oauth2.googleapis.com send.

export interface FakeReply {
  status: number
  body: string
  headers?: Record<string, string>
}

export function googleError(code: number, status: string, message: string, details: unknown[] = []): FakeReply {
  const error: Record<string, unknown> = { code, message, status }
  if (details.length > 0) error.details = details
  return { status: code, body: JSON.stringify({ error }) }
}

export const unauthenticated = () =>
  googleError(
    401,
    'UNAUTHENTICATED',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  )

export const rateLimited = (retryDelay: string) =>
  googleError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).', [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'RATE_LIMIT_EXCEEDED',
      domain: 'cloudcode-pa.googleapis.com',
      metadata: { model: 'gemini-2.5-pro' },
    },
    { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay },
  ])

export const quotaExhausted = (retryDelay?: string) =>
  googleError(429, 'RESOURCE_EXHAUSTED', 'You have exhausted your capacity on this model. Your quota will reset after midnight.', [
    {
      '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
      reason: 'QUOTA_EXHAUSTED',
      domain: 'cloudcode-pa.googleapis.com',
      metadata: { model: 'gemini-2.5-pro' },
    },
    ...(retryDelay === undefined ? [] : [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }]),
  ])

export const dailyQuotaFailure = () =>
  googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric Gemini requests per day.', [
    {
      '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
      violations: [{ subject: 'project:fake-proj-1', quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', description: 'daily limit' }],
    },
  ])

export const perMinuteQuotaFailure = () =>
  googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded for quota metric Gemini requests per minute.', [
    { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' }] },
  ])

export const bareRateLimit = () => googleError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).')

export const modelNotFound = () => googleError(404, 'NOT_FOUND', 'Requested entity was not found.')

export const serverError = () => googleError(500, 'INTERNAL', 'Internal error encountered.')
