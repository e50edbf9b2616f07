// What /pools shows about a member: state only, never a config value.
import type { MemberEntry } from './member-entry.ts'
import { isCoolingDown } from './member-state.ts'
import type { MemberSnapshot } from './types.ts'

/** Below this share of new requests a member counts as out of rotation (a failure penalty puts it far below). */
const IN_ROTATION_SHARE = 0.001

/** `share`: the member's probability of taking the next new request (see trafficShares); `queued`: its provider's queue length. */
export function snapshotEntry(entry: MemberEntry, now: number, share: number, queued: number): MemberSnapshot {
  const { state } = entry
  return {
    uuid: entry.uuid,
    // Unhealthy from the first unrecovered failure: the balancer's penalty starts there too.
    healthy: state.breaker !== 'open' && state.consecutiveFailures === 0,
    inRotation: share >= IN_ROTATION_SHARE,
    trafficShare: Math.round(share * 1000) / 1000,
    breaker: state.breaker,
    consecutiveFailures: state.consecutiveFailures,
    disabled: entry.spec.disabled,
    weight: entry.spec.weight,
    latencyMs: state.latency === null ? null : Math.round(state.latency.ms),
    inFlight: state.inFlight,
    requests: state.requests,
    failures: state.failures,
    lastError: state.lastError,
    lastCheck: state.lastCheck === null ? null : new Date(state.lastCheck).toISOString(),
    cooldownUntil: isCoolingDown(state, now) && state.cooldownUntil !== null ? new Date(state.cooldownUntil).toISOString() : null,
    maxConcurrent: entry.spec.maxConcurrent ?? null,
    queued,
  }
}
