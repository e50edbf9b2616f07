import { describe, expect, test } from 'bun:test'
import { FIXED_NOW_MS, readFixture, testCodec } from './fixture-files.ts'

interface HttpErrorCase {
  name: string
  status: number
  headers: Record<string, string>
  body: string
  expected: Record<string, unknown>
}

const { httpErrors } = readFixture<{ httpErrors: HttpErrorCase[] }>('upstream-error.json')
const decode = (status: number, body: string, headers: Record<string, string> = {}) => testCodec().decodeError(status, body, new Headers(headers))

describe('decodeError', () => {
  test.each(httpErrors.map((item) => [item.name, item] as const))('%s', (_name, item) => {
    const error = decode(item.status, item.body, item.headers)
    expect(error).toMatchObject(item.expected)
    if (!('retryAfterMs' in item.expected)) expect(error.retryAfterMs).toBeUndefined()
  })

  test.each([
    [400, 'request'],
    [404, 'request'],
    [413, 'request'],
    [422, 'request'],
    [401, 'member'],
    [403, 'member'],
    [429, 'member'],
    [500, 'member'],
    [503, 'member'],
    [529, 'member'],
  ])('HTTP %i is blamed on the %s', (status, scope) => {
    const error = decode(status, '{"error":{"message":"m"}}')
    expect(error.scope).toBe(scope as 'request' | 'member')
    expect(error.status).toBe(status)
    expect(error.upstreamStatus).toBe(status)
  })

  test('quota exhaustion is recognised by type as well as by code', () => {
    expect(decode(429, '{"error":{"message":"q","type":"insufficient_quota","code":null}}').kind).toBe('quota_exhausted')
    expect(decode(429, '{"error":{"message":"q","type":"tokens","code":"insufficient_quota"}}').kind).toBe('quota_exhausted')
    expect(decode(429, '{"error":{"message":"q","code":"rate_limit_exceeded"}}').kind).toBe('rate_limited')
  })

  test('retry-after-ms wins over retry-after; an HTTP date is understood', () => {
    expect(decode(429, '{}', { 'retry-after-ms': '1500', 'retry-after': '9' }).retryAfterMs).toBe(1500)
    const inAMinute = new Date(FIXED_NOW_MS + 60_000).toUTCString()
    expect(decode(503, '', { 'retry-after': inAMinute }).retryAfterMs).toBe(60_000)
  })

  test('an empty body, a plain string error and a long non-JSON body give readable messages', () => {
    expect(decode(503, '').message).toBe('upstream returned HTTP 503 with an empty body')
    expect(decode(400, '{"error":"bad things"}').message).toBe('bad things')
    const long = decode(500, 'x'.repeat(5000)).message
    expect(long.length).toBeLessThan(400)
    expect(long).toEndWith('…')
  })

  test('a JSON body without any message falls back to the text', () => {
    expect(decode(404, '{"detail":"Not Found"}').message).toBe('upstream returned HTTP 404: {"detail":"Not Found"}')
  })

  test('a non-error status is reported as a bad gateway', () => {
    expect(decode(200, 'odd')).toMatchObject({ status: 502, kind: 'bad_gateway', upstreamStatus: 200 })
  })
})
