import { describe, expect, test } from 'bun:test'
import { decodeCodeAssistError } from '../../../src/providers/gemini-cli/errors.ts'
import { googleError, quotaExhausted, rateLimited } from '../../fakes/google/errors.ts'
import { NOW } from './harness.ts'

const decode = (reply: { status: number; body: string }, headers: Record<string, string> = {}) =>
  decodeCodeAssistError(reply.status, reply.body, new Headers(headers), NOW)

describe('decodeCodeAssistError', () => {
  test('VALIDATION_REQUIRED points the user at the validation link', () => {
    const error = decode(
      googleError(403, 'PERMISSION_DENIED', 'Validation required', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'VALIDATION_REQUIRED', domain: 'cloudcode-pa.googleapis.com' },
        { '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Verify', url: 'https://accounts.google.com/verify' }] },
      ]),
    )
    expect(error).toMatchObject({ status: 403, kind: 'permission', scope: 'member', upstreamStatus: 403 })
    expect(error.message).toBe('Google requires this account to be verified before Gemini Code Assist can be used: visit https://accounts.google.com/verify')
  })

  test('other errors are classified as the Gemini dialect does', () => {
    expect(decode(googleError(400, 'INVALID_ARGUMENT', 'bad schema'))).toMatchObject({
      status: 400,
      kind: 'invalid_request',
      scope: 'request',
      message: 'bad schema',
    })
    expect(decode(googleError(403, 'PERMISSION_DENIED', 'no'))).toMatchObject({ status: 403, kind: 'permission', scope: 'member' })
    expect(decode(rateLimited('2s'))).toMatchObject({ status: 429, kind: 'rate_limited', retryAfterMs: 2000 })
    // NOW is 12:00 in Los Angeles.
    expect(decode(quotaExhausted())).toMatchObject({ status: 429, kind: 'quota_exhausted', retryAfterMs: 12 * 3_600_000 })
  })

  test('a body that is not JSON still gives a usable member error', () => {
    const error = decodeCodeAssistError(502, '<html>Bad Gateway</html>', new Headers(), NOW)
    expect(error).toMatchObject({ status: 502, scope: 'member' })
    expect(error.message).toContain('<html>Bad Gateway</html>')
  })
})
