// What /pools shows about a member: state only, never a config value.
import type { MemberEntry } from './member-entry.ts'
import { isCoolingDown } from './member-state.ts'
import type { MemberSnapshot } from './types.ts'

export function snapshotEntry(entry: MemberEntry, now: number): MemberSnapshot {
  const { state } = entry
  return {
    uuid: entry.uuid,
    healthy: state.breaker !== 'open',
    breaker: state.breaker,
    disabled: entry.spec.disabled,
    weight: entry.spec.weight,
    latencyMs: state.latency === null ? null : Math.round(state.latency.ms),
    inFlight: state.inFlight,
    requests: state.requests,
    failures: state.failures,
    lastError: state.lastError,
    lastCheck: state.lastCheck === null ? null : new Date(state.lastCheck).toISOString(),
    cooldownUntil: isCoolingDown(state, now) && state.cooldownUntil !== null ? new Date(state.cooldownUntil).toISOString() : null,
  }
}
