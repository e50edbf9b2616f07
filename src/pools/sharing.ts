// What pools tell other replicas and take from them, independent of the transport (Redis,
// see src/replicas/). Every call returns at once: sharing never delays a pick or a lease.
import type { ProviderId } from '../providers/types.ts'
import type { MemberEntry } from './member-entry.ts'
import type { BreakerState, CooldownCause, MemberState } from './member-state.ts'

/** The part of a member's state every replica agrees on: its verdict, not its local traffic. */
export interface SharedVerdict {
  breaker: BreakerState
  consecutiveFailures: number
  cooldownUntil: number | null
  cooldownCause: CooldownCause | null
  lastError: string | null
  lastCheck: number | null
}

export function verdictOf(state: MemberState): SharedVerdict {
  const { breaker, consecutiveFailures, cooldownUntil, cooldownCause, lastError, lastCheck } = state
  return { breaker, consecutiveFailures, cooldownUntil, cooldownCause, lastError, lastCheck }
}

/** Where changes from other replicas land. */
export interface SharingTarget {
  entry(provider: string, uuid: string): MemberEntry | undefined
  /** Sets a sticky-session assignment made elsewhere (`onlyIfUnknown`: keep a local one). */
  assignSession(id: string, uuid: string, at: number, onlyIfUnknown: boolean): void
  /** Shared state changed here because of another replica (persist it). */
  changed(): void
}

export interface SharingStatus {
  shared: true
  /** Whether Redis answers right now; while false each replica runs on its own state. */
  redisReachable: boolean
  redis: string
  /** Changes received from other replicas since start. */
  changesReceived: number
}

export interface PoolSharing {
  /** The key sessions are known by on every replica (a digest: client identifiers stay here). */
  sessionId(provider: ProviderId, sessionKey: string): string
  /** A member's verdict may have changed here (request outcome, probe): tell the others when it did. */
  memberChanged(entry: MemberEntry): void
  sessionServed(id: string, uuid: string, at: number): void
  attach(target: SharingTarget): void
  status(): SharingStatus
}
