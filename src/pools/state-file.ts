// The runtime state sidecar beside the pools file (`x.json` → `x.state.json`): per member,
// only numbers, enums, times and the already-redacted last error — never config values.
// Written atomically, debounced, from a timer (never on the request path).
import { existsSync } from 'node:fs'
import { readBoundedText, SETTINGS_FILE_MAX_BYTES } from '../fs/read-bounded.ts'
import { writeFileAtomic } from '../fs/atomic-write.ts'
import type { Logger } from '../log.ts'
import { isProviderId } from '../providers/types.ts'
import type { PoolMap } from './generation.ts'
import { MAX_HINTED_RETRY_MS } from '../errors/gateway-error.ts'
import { type BreakerState, COOLDOWN_CAUSES, type CooldownCause, type MemberState } from './member-state.ts'
import type { Cancel, Scheduler } from './scheduler.ts'
import { isRecord } from '../json/read.ts'

export const STATE_FILE_VERSION = 1
export const STATE_SAVE_DELAY_MS = 1_000

interface PersistedMember {
  latencyMs: number | null
  latencyAt: string | null
  breaker: BreakerState
  consecutiveFailures: number
  requests: number
  failures: number
  lastError: string | null
  lastCheck: string | null
  cooldownUntil: string | null
  cooldownCause?: CooldownCause | null
  lastServedAt: string | null
}

/** provider → uuid → state */
export type PersistedState = Record<string, Record<string, PersistedMember>>

export function statePathFor(poolsFilePath: string): string {
  return poolsFilePath.endsWith('.json') ? `${poolsFilePath.slice(0, -'.json'.length)}.state.json` : `${poolsFilePath}.state.json`
}

export function renderState(pools: PoolMap): string {
  const members: PersistedState = {}
  for (const [provider, pool] of pools) {
    const byUuid: Record<string, PersistedMember> = {}
    for (const entry of pool.entries) byUuid[entry.uuid] = persisted(entry.state)
    if (pool.entries.length > 0) members[provider] = byUuid
  }
  return `${JSON.stringify({ version: STATE_FILE_VERSION, members }, null, 2)}\n`
}

function persisted(state: MemberState): PersistedMember {
  return {
    latencyMs: state.latency === null ? null : Math.round(state.latency.ms * 10) / 10,
    latencyAt: iso(state.latency?.at ?? null),
    breaker: state.breaker,
    consecutiveFailures: state.consecutiveFailures,
    requests: state.requests,
    failures: state.failures,
    lastError: state.lastError,
    lastCheck: iso(state.lastCheck),
    cooldownUntil: iso(state.cooldownUntil),
    cooldownCause: state.cooldownCause,
    lastServedAt: iso(state.lastServedAt),
  }
}

/** The saved state, or undefined when there is none or it is unreadable (a warning, never fatal). */
export function readStateFile(path: string, log: Logger): PersistedState | undefined {
  if (!existsSync(path)) return undefined
  try {
    const data: unknown = JSON.parse(readBoundedText(path, SETTINGS_FILE_MAX_BYTES))
    if (!isRecord(data) || data.version !== STATE_FILE_VERSION || !isRecord(data.members)) throw new Error('unexpected shape')
    return data.members as PersistedState
  } catch (error) {
    log.warn(`pools: ignoring state file ${path}: ${error instanceof Error ? error.message : String(error)}`)
    return undefined
  }
}

/** Puts saved state back on the members that still exist; each field is checked on its own. */
export function restoreState(pools: PoolMap, saved: PersistedState, now: number): void {
  for (const [provider, pool] of pools) {
    const byUuid = isProviderId(provider) ? saved[provider] : undefined
    if (!isRecord(byUuid)) continue
    for (const entry of pool.entries) {
      const record = byUuid[entry.uuid]
      if (isRecord(record)) restoreMember(entry.state, record, now)
    }
  }
}

function restoreMember(state: MemberState, record: Record<string, unknown>, now: number): void {
  const latencyAt = time(record.latencyAt)
  if (typeof record.latencyMs === 'number' && record.latencyMs >= 0 && latencyAt !== null) state.latency = { ms: record.latencyMs, at: latencyAt }
  if (record.breaker === 'closed' || record.breaker === 'open' || record.breaker === 'half-open') state.breaker = record.breaker
  state.consecutiveFailures = count(record.consecutiveFailures)
  state.requests = count(record.requests)
  state.failures = count(record.failures)
  state.lastError = typeof record.lastError === 'string' ? record.lastError : null
  state.lastCheck = time(record.lastCheck)
  // A saved rest lasts an hour at most: a file written before the cap (or edited) must not
  // bench a member for years; a computed quota reset is found again by the next request.
  const cooldownUntil = time(record.cooldownUntil)
  state.cooldownUntil = cooldownUntil === null ? null : Math.min(cooldownUntil, now + MAX_HINTED_RETRY_MS)
  state.cooldownCause = COOLDOWN_CAUSES.find((cause) => cause === record.cooldownCause) ?? null
  state.lastServedAt = time(record.lastServedAt)
}

/** Debounced, atomic writes of the state file. */
export class StateWriter {
  private cancel: Cancel | undefined
  private failing = false

  constructor(
    private readonly path: string,
    private readonly render: () => string,
    private readonly scheduler: Scheduler,
    private readonly log: Logger,
  ) {}

  /** Something changed: write within STATE_SAVE_DELAY_MS (one write for a burst of changes). */
  changed(): void {
    if (this.cancel !== undefined) return
    this.cancel = this.scheduler.after(STATE_SAVE_DELAY_MS, () => {
      this.cancel = undefined
      this.write()
    })
  }

  /** Writes now if a write is pending. */
  flush(): void {
    if (this.cancel === undefined) return
    this.cancel()
    this.cancel = undefined
    this.write()
  }

  private write(): void {
    try {
      writeFileAtomic(this.path, this.render())
      this.failing = false
    } catch (error) {
      // Once per outage, not once a second (a read-only folder would flood the log).
      if (!this.failing) this.log.error(`pools: cannot write state file ${this.path}: ${error instanceof Error ? error.message : String(error)}`)
      this.failing = true
    }
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString()
}

function time(value: unknown): number | null {
  if (typeof value !== 'string') return null
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? null : ms
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0
}
