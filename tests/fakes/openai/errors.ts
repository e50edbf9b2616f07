// OpenAI's error body `{"error":{message,type,param,code}}` (docs/protocols.md#openai-errors) and the
// status scenarios tests reach for most often.
import type { Scenario } from '../shared/scenario.ts'

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null }
}

export function openaiErrorBody(type: string, code: string | null, message: string, param: string | null = null): OpenAIErrorBody {
  return { error: { message, type, param, code } }
}

/** A status scenario with an OpenAI-shaped body. */
export function openaiError(status: number, type: string, code: string | null, message: string, headers?: Record<string, string>): Scenario {
  return { kind: 'status', status, body: openaiErrorBody(type, code, message), ...(headers ? { headers } : {}) }
}

/** 429 rate limit with a retry hint in seconds, as OpenAI sends it. */
export function openaiRateLimited(retryAfterSeconds = 1): Scenario {
  return openaiError(429, 'requests', 'rate_limit_exceeded', `Rate limit reached for requests. Please try again in ${retryAfterSeconds}s.`, {
    'retry-after': String(retryAfterSeconds),
    'x-ratelimit-limit-requests': '60',
    'x-ratelimit-remaining-requests': '0',
    'x-ratelimit-reset-requests': `${retryAfterSeconds}s`,
  })
}

/** 429 quota exhausted: retrying will not help. */
export function openaiQuotaExceeded(): Scenario {
  return openaiError(429, 'insufficient_quota', 'insufficient_quota', 'You exceeded your current quota, please check your plan and billing details.')
}

/** The body OpenAI usually sends with `status`. */
export function defaultOpenAIErrorBody(status: number): OpenAIErrorBody {
  switch (status) {
    case 400:
      return openaiErrorBody('invalid_request_error', null, 'Invalid request.')
    case 401:
      return openaiErrorBody('invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.')
    case 403:
      return openaiErrorBody('request_forbidden', 'unsupported_country_region_territory', 'Country, region, or territory not supported')
    case 404:
      return openaiErrorBody('invalid_request_error', 'model_not_found', 'The model does not exist or you do not have access to it.')
    case 429:
      return openaiErrorBody('requests', 'rate_limit_exceeded', 'Rate limit reached for requests.')
    case 503:
      return openaiErrorBody('server_error', null, 'The engine is currently overloaded, please try again later.')
    default:
      return status >= 500
        ? openaiErrorBody('server_error', null, 'The server had an error while processing your request. Sorry about that!')
        : openaiErrorBody('invalid_request_error', null, `Request failed with status ${status}.`)
  }
}

/** Shows a key the way OpenAI's 401 message does: first and last characters only. */
export function maskKey(key: string): string {
  return key.length <= 8 ? '*'.repeat(key.length) : `${key.slice(0, 3)}${'*'.repeat(key.length - 7)}${key.slice(-4)}`
}
