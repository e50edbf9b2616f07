// One member's runtime state and how request and probe outcomes change it: the latency
// estimate, the circuit breaker, cooldowns and counters. Pure apart from mutating `state`.
import { type GatewayError, trustedRetryAfterMs } from '../errors/gateway-error.ts'
import { addLatencySample, type LatencyEstimate } from './balance.ts'

export type BreakerState = 'closed' | 'open' | 'half-open'
export const COOLDOWN_CAUSES = ['rate_limited', 'quota_exhausted', 'upstream_error'] as const
export type CooldownCause = (typeof COOLDOWN_CAUSES)[number]

export interface MemberState {
  latency: LatencyEstimate | null
  breaker: BreakerState
  consecutiveFailures: number
  /** Attempts served (real traffic only). */
  requests: number
  /** Member-scope failures of real traffic. */
  failures: number
  /** Already redacted. */
  lastError: string | null
  /** Epoch ms of the last health probe. */
  lastCheck: number | null
  /** Epoch ms until which the member rests after a rate limit, quota or hinted upstream error. */
  cooldownUntil: number | null
  /** Why it rests (the cause of the latest end), for the 503 that says so. */
  cooldownCause: CooldownCause | null
  /** Epoch ms of the last successful real request (probes do not count). */
  lastServedAt: number | null
  inFlight: number
}

/** Cooldown for a rate limit that came without a retry hint. */
export const RATE_LIMIT_COOLDOWN_MS = 5_000
/** Cooldown for an exhausted quota with no known reset; a successful probe ends it early. */
export const QUOTA_COOLDOWN_MS = 3_600_000
const LAST_ERROR_MAX_CHARS = 300

export function newMemberState(): MemberState {
  return {
    latency: null,
    breaker: 'closed',
    consecutiveFailures: 0,
    requests: 0,
    failures: 0,
    lastError: null,
    lastCheck: null,
    cooldownUntil: null,
    cooldownCause: null,
    lastServedAt: null,
    inFlight: 0,
  }
}

export function isCoolingDown(state: MemberState, now: number): boolean {
  return state.cooldownUntil !== null && state.cooldownUntil > now
}

/** Whether the member should be checked: failing, cooling down, or its breaker not closed. */
export function isInDoubt(state: MemberState, now: number): boolean {
  return state.breaker !== 'closed' || state.consecutiveFailures > 0 || isCoolingDown(state, now)
}

/** A real request got its first byte: a latency sample, and the breaker closes. */
export function recordSuccess(state: MemberState, ttfbMs: number, now: number): void {
  state.latency = addLatencySample(state.latency, ttfbMs, now)
  state.consecutiveFailures = 0
  state.breaker = 'closed'
  state.lastServedAt = now
}

/** A probe succeeded: an open breaker lets traffic back in gradually, a cooldown ends. */
export function recordProbeSuccess(state: MemberState, elapsedMs: number, now: number): void {
  state.latency = addLatencySample(state.latency, elapsedMs, now)
  state.consecutiveFailures = 0
  if (state.breaker === 'open') state.breaker = 'half-open'
  state.cooldownUntil = null
  state.cooldownCause = null
  state.lastCheck = now
}

export type FailureEffect = 'ignored' | 'cooldown' | 'counted'

/**
 * A failure. Only member-scope errors count: request-scope ones are the client's fault and
 * gateway-scope ones our own. Rate limits,
 * exhausted quotas and anything with a retry hint cool the member down (a later, longer
 * hint extends the rest, never shortens it; upstream hints count for an hour at most).
 * Other member failures count toward the breaker.
 */
export function recordFailure(state: MemberState, error: GatewayError, now: number, threshold: number, redact: (text: string) => string): FailureEffect {
  if (error.scope !== 'member') return 'ignored'
  state.lastError = describeError(error, redact)
  const rest = cooldownFor(error)
  if (rest !== undefined) {
    if (state.cooldownUntil === null || now + rest >= state.cooldownUntil) {
      state.cooldownUntil = now + rest
      state.cooldownCause = error.kind === 'rate_limited' || error.kind === 'quota_exhausted' ? error.kind : 'upstream_error'
    }
    return 'cooldown'
  }
  state.consecutiveFailures++
  if (state.breaker === 'half-open' || state.consecutiveFailures >= threshold) state.breaker = 'open'
  return 'counted'
}

function cooldownFor(error: GatewayError): number | undefined {
  const hinted = trustedRetryAfterMs(error)
  if (hinted !== undefined) return hinted
  if (error.kind === 'rate_limited') return RATE_LIMIT_COOLDOWN_MS
  if (error.kind === 'quota_exhausted') return QUOTA_COOLDOWN_MS
  return undefined
}

function describeError(error: GatewayError, redact: (text: string) => string): string {
  const text = redact(`${error.status} ${error.kind}: ${error.message}`)
  return text.length > LAST_ERROR_MAX_CHARS ? `${text.slice(0, LAST_ERROR_MAX_CHARS)}…` : text
}
