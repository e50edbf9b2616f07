import { describe, expect, test } from 'bun:test'
import { GatewayError, MAX_HINTED_RETRY_MS } from '../../src/errors/gateway-error.ts'
import {
  isInDoubt,
  newMemberState,
  QUOTA_COOLDOWN_MS,
  RATE_LIMIT_COOLDOWN_MS,
  recordFailure,
  recordProbeSuccess,
  recordSuccess,
} from '../../src/pools/member-state.ts'
import { memberError } from './helpers.ts'

const THRESHOLD = 3
const redact = (text: string) => text.replaceAll('sk-secret-123', '[redacted]')

describe('circuit breaker', () => {
  test('opens after the threshold of consecutive member failures', () => {
    const state = newMemberState()
    expect(recordFailure(state, memberError(502, 'bad_gateway'), 0, THRESHOLD, redact)).toBe('counted')
    expect(recordFailure(state, memberError(500, 'upstream_error'), 0, THRESHOLD, redact)).toBe('counted')
    expect(state.breaker).toBe('closed')
    recordFailure(state, memberError(504, 'timeout'), 0, THRESHOLD, redact)
    expect(state.breaker).toBe('open')
    expect(state.consecutiveFailures).toBe(3)
  })

  test('a success in between resets the count', () => {
    const state = newMemberState()
    recordFailure(state, memberError(502, 'bad_gateway'), 0, THRESHOLD, redact)
    recordFailure(state, memberError(502, 'bad_gateway'), 0, THRESHOLD, redact)
    recordSuccess(state, 120, 10)
    recordFailure(state, memberError(502, 'bad_gateway'), 20, THRESHOLD, redact)
    expect(state.breaker).toBe('closed')
    expect(state.consecutiveFailures).toBe(1)
  })

  test('open → half-open on a successful probe → closed on a real success', () => {
    const state = newMemberState()
    for (let i = 0; i < THRESHOLD; i++) recordFailure(state, memberError(502, 'bad_gateway'), 0, THRESHOLD, redact)
    recordProbeSuccess(state, 80, 1_000)
    expect(state.breaker).toBe('half-open')
    expect(state.consecutiveFailures).toBe(0)
    expect(state.lastCheck).toBe(1_000)
    recordSuccess(state, 90, 2_000)
    expect(state.breaker).toBe('closed')
  })

  test('a failure while half-open re-opens at once', () => {
    const state = newMemberState()
    for (let i = 0; i < THRESHOLD; i++) recordFailure(state, memberError(502, 'bad_gateway'), 0, THRESHOLD, redact)
    recordProbeSuccess(state, 80, 1_000)
    recordFailure(state, memberError(503, 'unavailable'), 2_000, THRESHOLD, redact)
    expect(state.breaker).toBe('open')
  })

  test('request-scope and gateway-scope errors never count', () => {
    const state = newMemberState()
    for (let i = 0; i < 10; i++) {
      expect(recordFailure(state, new GatewayError(400, 'invalid_request', 'bad body', { scope: 'request' }), 0, THRESHOLD, redact)).toBe('ignored')
      expect(recordFailure(state, new GatewayError(500, 'internal', 'our bug', { scope: 'gateway' }), 0, THRESHOLD, redact)).toBe('ignored')
    }
    expect(state).toEqual(newMemberState())
  })
})

describe('cooldown', () => {
  test('a retry hint cools the member down until then, without counting toward the breaker', () => {
    const state = newMemberState()
    expect(recordFailure(state, memberError(429, 'rate_limited', 7_000), 1_000, THRESHOLD, redact)).toBe('cooldown')
    expect(state.cooldownUntil).toBe(8_000)
    expect(state.consecutiveFailures).toBe(0)
    expect(isInDoubt(state, 7_999)).toBe(true)
    expect(isInDoubt(state, 8_000)).toBe(false)
  })

  test('a later hint extends the rest but a shorter one never shortens it', () => {
    const state = newMemberState()
    recordFailure(state, memberError(429, 'rate_limited', 60_000), 0, THRESHOLD, redact)
    recordFailure(state, memberError(429, 'rate_limited', 1_000), 10_000, THRESHOLD, redact)
    expect(state.cooldownUntil).toBe(60_000)
    recordFailure(state, memberError(429, 'rate_limited', 90_000), 20_000, THRESHOLD, redact)
    expect(state.cooldownUntil).toBe(110_000)
  })

  test('rate limits and quota errors without a hint get default rests', () => {
    const limited = newMemberState()
    recordFailure(limited, memberError(429, 'rate_limited'), 0, THRESHOLD, redact)
    expect(limited.cooldownUntil).toBe(RATE_LIMIT_COOLDOWN_MS)
    const exhausted = newMemberState()
    recordFailure(exhausted, memberError(429, 'quota_exhausted'), 0, THRESHOLD, redact)
    expect(exhausted.cooldownUntil).toBe(QUOTA_COOLDOWN_MS)
  })

  test('an upstream hint rests the member an hour at most, whatever it says', () => {
    const state = newMemberState()
    recordFailure(state, memberError(429, 'rate_limited', 99_999_999_000), 1_000, THRESHOLD, redact)
    expect(state.cooldownUntil).toBe(1_000 + MAX_HINTED_RETRY_MS)
    expect(state.cooldownCause).toBe('rate_limited')
  })

  test('a quota reset the gateway computed itself is trusted beyond the cap', () => {
    const state = newMemberState()
    const monthly = new GatewayError(429, 'quota_exhausted', 'monthly quota', { scope: 'member', retryAfterMs: 20 * 86_400_000, computedReset: true })
    recordFailure(state, monthly, 0, THRESHOLD, redact)
    expect(state.cooldownUntil).toBe(20 * 86_400_000)
    expect(state.cooldownCause).toBe('quota_exhausted')
  })

  test('the cause follows the rest that ends last; a 5xx with a hint rests as an upstream error', () => {
    const state = newMemberState()
    recordFailure(state, memberError(503, 'upstream_error', 60_000), 0, THRESHOLD, redact)
    expect(state.cooldownCause).toBe('upstream_error')
    recordFailure(state, memberError(429, 'rate_limited', 1_000), 0, THRESHOLD, redact)
    expect(state.cooldownCause).toBe('upstream_error')
    recordFailure(state, memberError(429, 'quota_exhausted', 120_000), 0, THRESHOLD, redact)
    expect(state.cooldownCause).toBe('quota_exhausted')
  })

  test('a successful probe ends a cooldown early', () => {
    const state = newMemberState()
    recordFailure(state, memberError(429, 'quota_exhausted'), 0, THRESHOLD, redact)
    recordProbeSuccess(state, 100, 600_000)
    expect(state.cooldownUntil).toBeNull()
    expect(state.cooldownCause).toBeNull()
  })

  test('the last error is redacted and bounded', () => {
    const state = newMemberState()
    const long = `key sk-secret-123 rejected ${'x'.repeat(1_000)}`
    recordFailure(state, new GatewayError(401, 'authentication', long, { scope: 'member' }), 0, THRESHOLD, redact)
    expect(state.lastError).not.toContain('sk-secret-123')
    expect(state.lastError).toStartWith('401 authentication: key [redacted] rejected')
    expect(state.lastError?.length).toBeLessThan(310)
  })
})
