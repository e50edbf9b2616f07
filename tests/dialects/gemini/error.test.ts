import { describe, expect, test } from 'bun:test'
import { createGeminiCodec, msUntilPacificMidnight, parseDuration } from '../../../src/dialects/gemini/index.ts'
import type { ErrorKind, ErrorScope } from '../../../src/errors/gateway-error.ts'
import { readJson } from './fixtures.ts'

interface ErrorCase {
  name: string
  status: number
  headers?: Record<string, string>
  body: unknown
  expected: { status: number; kind: ErrorKind; scope: ErrorScope; retryAfterMs?: number; message: string }
}

/** 2025-01-15 12:00 in Los Angeles (PST): the daily reset is 12 hours away. */
const NOON_PACIFIC = Date.parse('2025-01-15T20:00:00Z')
const codec = createGeminiCodec({ now: () => NOON_PACIFIC })

describe('gemini decodeError', async () => {
  const cases = await readJson<ErrorCase[]>('.', 'errors.json')
  for (const item of cases) {
    test(item.name, () => {
      const text = typeof item.body === 'string' ? item.body : JSON.stringify(item.body)
      const error = codec.decodeError(item.status, text, new Headers(item.headers))
      expect({ status: error.status, kind: error.kind, scope: error.scope, retryAfterMs: error.retryAfterMs, message: error.message }).toEqual({
        retryAfterMs: undefined,
        ...item.expected,
      })
      expect(error.upstreamStatus).toBe(item.status)
    })
  }

  test('a retry delay beyond five minutes is a spent quota, kept with its delay', () => {
    const body = {
      error: {
        code: 429,
        message: 'slow down',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3600s' }],
      },
    }
    const error = codec.decodeError(429, JSON.stringify(body), new Headers())
    expect({ kind: error.kind, retryAfterMs: error.retryAfterMs }).toEqual({ kind: 'quota_exhausted', retryAfterMs: 3_600_000 })
  })

  test('a long non-JSON body is cut in the message', () => {
    const error = codec.decodeError(500, 'x'.repeat(5000), new Headers())
    expect(error.message.length).toBeLessThan(600)
  })
})

describe('Google durations', () => {
  test('parses seconds, fractions and compound durations; refuses anything else', () => {
    expect(parseDuration('12.5s')).toBe(12500)
    expect(parseDuration('0s')).toBe(0)
    expect(parseDuration('1h30m')).toBe(5_400_000)
    expect(parseDuration('250ms')).toBe(250)
    expect(parseDuration('12')).toBeUndefined()
    expect(parseDuration('soon')).toBeUndefined()
    expect(parseDuration(12)).toBeUndefined()
  })
})

describe('msUntilPacificMidnight', () => {
  const cases: Array<[string, string]> = [
    ['2025-01-15T20:00:00Z', '2025-01-16T08:00:00.000Z'],
    ['2025-01-16T07:59:59Z', '2025-01-16T08:00:00.000Z'],
    ['2025-01-16T08:00:00Z', '2025-01-17T08:00:00.000Z'],
    ['2025-07-01T06:30:00Z', '2025-07-01T07:00:00.000Z'],
    ['2025-03-09T09:00:00Z', '2025-03-10T07:00:00.000Z'],
    ['2025-11-02T09:00:00Z', '2025-11-03T08:00:00.000Z'],
    ['2024-12-31T23:00:00Z', '2025-01-01T08:00:00.000Z'],
  ]
  for (const [now, reset] of cases) {
    test(`${now} → ${reset}`, () => {
      const start = Date.parse(now)
      expect(new Date(start + msUntilPacificMidnight(start)).toISOString()).toBe(reset)
    })
  }
})
