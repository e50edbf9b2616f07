import { describe, expect, test } from 'bun:test'
import { decodeAnthropicError } from '../../../src/dialects/anthropic/error.ts'

const body = (type: string, message: string) => JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_011CSHoEeqs5C35K2UUqR7Fy' })

describe('decodeAnthropicError', () => {
  test.each([
    [400, 'invalid_request_error', 'messages.0.content: Field required', 'invalid_request', 'request'],
    [401, 'authentication_error', 'invalid x-api-key', 'authentication', 'member'],
    [402, 'billing_error', 'Payment required', 'quota_exhausted', 'member'],
    [403, 'permission_error', 'Your API key does not have permission', 'permission', 'member'],
    [404, 'not_found_error', 'model: claude-nope', 'not_found', 'request'],
    [413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.', 'payload_too_large', 'request'],
    [429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit', 'rate_limited', 'member'],
    [500, 'api_error', 'Internal server error', 'upstream_error', 'member'],
    [503, 'api_error', 'Service unavailable', 'unavailable', 'member'],
    [529, 'overloaded_error', 'Overloaded', 'upstream_error', 'member'],
    [400, 'invalid_request_error', 'Your credit balance is too low to access the Anthropic API.', 'quota_exhausted', 'member'],
  ] as const)('%d %s → kind %s, scope %s, status and message kept', (status, type, message, kind, scope) => {
    const error = decodeAnthropicError(status, body(type, message), new Headers())
    expect(error.status).toBe(status)
    expect(error.upstreamStatus).toBe(status)
    expect(error.kind).toBe(kind)
    expect(error.scope).toBe(scope)
    expect(error.message).toBe(message)
  })

  test('reads retry-after (seconds) for rate limits', () => {
    const headers = new Headers({ 'retry-after': '17', 'anthropic-ratelimit-requests-remaining': '0' })
    expect(decodeAnthropicError(429, body('rate_limit_error', 'slow down'), headers).retryAfterMs).toBe(17_000)
    expect(decodeAnthropicError(429, body('rate_limit_error', 'slow down'), new Headers()).retryAfterMs).toBeUndefined()
  })

  test('tolerates non-JSON bodies with a short snippet', () => {
    const html = `<html><head><title>502 Bad Gateway</title></head><body>${'x'.repeat(500)}</body></html>`
    const error = decodeAnthropicError(502, html, new Headers())
    expect(error.status).toBe(502)
    expect(error.kind).toBe('bad_gateway')
    expect(error.scope).toBe('member')
    expect(error.message).toStartWith('upstream answered 502: <html><head><title>502 Bad Gateway</title>')
    expect(error.message.length).toBeLessThan(250)
  })

  test('an empty body or a JSON body without a message still says what happened', () => {
    expect(decodeAnthropicError(500, '', new Headers()).message).toBe('upstream answered 500 with an empty body')
    expect(decodeAnthropicError(529, '{"type":"error","error":{"type":"overloaded_error"}}', new Headers()).message).toBe('overloaded_error')
    expect(decodeAnthropicError(418, '{"unexpected":true}', new Headers()).message).toBe('upstream answered 418: {"unexpected":true}')
  })
})
