// One attempt on one member: holds an in-flight slot and turns the attempt's outcome into
// state changes. Each outcome counts at most once, however often it is reported.
import type { GatewayError } from '../errors/gateway-error.ts'
import { closeRetiredIfIdle, type MemberEntry } from './member-entry.ts'
import { recordFailure, recordSuccess } from './member-state.ts'
import type { Lease, PoolMember } from './types.ts'

export interface LeaseHooks {
  now: () => number
  failureThreshold: number
  redact: (text: string) => string
  /** The member served the request: remember it for the session. */
  onServed: (entry: MemberEntry) => void
  /** State changed: persist soon. */
  onChange: () => void
  /** A success or a member failure may have changed the member's verdict (breaker, cooldown). */
  onVerdict: (entry: MemberEntry) => void
  /** This failure opened the member's breaker: it leaves rotation. */
  onBreakerOpen: (entry: MemberEntry, error: GatewayError) => void
  /** The in-flight slot is free again (requests may be waiting for it). */
  onEnd: () => void
}

export function openLease(entry: MemberEntry, member: PoolMember, retryOfSame: boolean, hooks: LeaseHooks): Lease {
  const { state } = entry
  state.inFlight++
  state.requests++
  hooks.onChange()
  let succeeded = false
  let failed = false
  let ended = false
  return {
    member,
    retryOfSame,
    succeeded(ttfbMs: number) {
      if (succeeded) return
      succeeded = true
      // Most successes change no verdict; only those that close a breaker or clear failures do.
      const verdictChanges = state.breaker !== 'closed' || state.consecutiveFailures > 0
      recordSuccess(state, ttfbMs, hooks.now())
      hooks.onServed(entry)
      hooks.onChange()
      if (verdictChanges) hooks.onVerdict(entry)
    },
    failed(error: GatewayError) {
      if (failed) return
      failed = true
      if (error.scope === 'member') state.failures++
      const wasOpen = state.breaker === 'open'
      if (recordFailure(state, error, hooks.now(), hooks.failureThreshold, hooks.redact) !== 'ignored') {
        hooks.onChange()
        hooks.onVerdict(entry)
      }
      if (!wasOpen && state.breaker === 'open') hooks.onBreakerOpen(entry, error)
    },
    end() {
      if (ended) return
      ended = true
      state.inFlight--
      closeRetiredIfIdle(entry)
      hooks.onEnd()
    },
  }
}
