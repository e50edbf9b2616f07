// Which member serves the next attempt: rules of availability (disabled, cooldown, breaker,
// already tried, sticky session), then the balancer. Pure: state, clock and random in.
import { type GatewayError, unavailable } from '../errors/gateway-error.ts'
import type { ProviderId } from '../providers/types.ts'
import { type BalanceCandidate, chooseCandidate, selectionShares } from './balance.ts'
import type { MemberEntry } from './member-entry.ts'
import { type CooldownCause, isCoolingDown } from './member-state.ts'
import type { PoolMember } from './types.ts'

export interface SelectInput {
  provider: ProviderId
  entries: readonly MemberEntry[]
  tried: ReadonlySet<string>
  untriedOnly?: boolean
  /** The uuid that served this session last, if any. */
  stickyUuid?: string
  now: number
  random: () => number
}

export type Selection =
  | { entry: MemberEntry; member: PoolMember; retryOfSame: boolean }
  | { error: GatewayError }
  /** Members could serve, but every one of them is at its maxConcurrent limit: wait for a slot. */
  | { full: true }

interface Enabled {
  entry: MemberEntry
  member: PoolMember
}

/**
 * Candidates, narrowing step by step but never to nothing while something could serve:
 * 1. enabled members not cooling down (none: 503 with the earliest cooldown end);
 * 2. of those, members whose breaker lets traffic in: closed, or half-open with no request
 *    in flight; when none does, the breaker is ignored, since there is nowhere else to go
 *    (this is why a lone member is never shut out);
 * 3. of those, members not yet tried in this request; when all were, any of them again
 *    (`retryOfSame`, the caller backs off first);
 * 4. of those, members below their maxConcurrent limit (none: `full`, the caller waits).
 * The session's member wins while it is a candidate; otherwise the balancer draws.
 */
export function selectMember(input: SelectInput): Selection {
  const { provider, now, entries, tried } = input
  // One counting pass decides steps 1–3 (no arrays per step: this runs on every request
  // and its cost must stay small as pools grow), a second collects the candidates.
  let enabled = 0
  let resting = 0
  let admitted = 0
  let restingUntried = 0
  let admittedUntried = 0
  for (const entry of entries) {
    if (entry.member === undefined) continue
    enabled++
    if (isCoolingDown(entry.state, now)) continue
    resting++
    const untried = !tried.has(entry.uuid)
    if (untried) restingUntried++
    if (admitsTraffic(entry)) {
      admitted++
      if (untried) admittedUntried++
    }
  }
  if (enabled === 0 || resting === 0) return { error: inRotation(provider, entries, now) as GatewayError }
  const breakerApplies = admitted > 0
  const retryOfSame = (breakerApplies ? admittedUntried : restingUntried) === 0
  if (retryOfSame && input.untriedOnly) return { error: noMember(`every available ${provider} member was tried`) }
  const candidates: MemberEntry[] = []
  for (const entry of entries) {
    if (entry.member === undefined || isCoolingDown(entry.state, now)) continue
    if (breakerApplies && !admitsTraffic(entry)) continue
    if (!retryOfSame && tried.has(entry.uuid)) continue
    if (!hasRoom(entry)) continue
    if (!retryOfSame && entry.uuid === input.stickyUuid) return { entry, member: entry.member, retryOfSame: false }
    candidates.push(entry)
  }
  if (candidates.length === 0) return { full: true }
  const chosen = candidates.length === 1 ? candidates[0] : candidates[chooseCandidate(candidates.map(balanceCandidate), now, input.random)]
  if (chosen?.member === undefined) return { error: noMember(`no ${provider} member is available`) }
  return { entry: chosen, member: chosen.member, retryOfSame }
}

/**
 * Each member's share of the next new request (no session, nothing tried yet), as the
 * balancer would draw it: 0 for members out of rotation, tiny for penalised ones.
 */
export function trafficShares(provider: ProviderId, entries: readonly MemberEntry[], now: number): Map<string, number> {
  const shares = new Map<string, number>()
  const rotation = inRotation(provider, entries, now)
  if (!Array.isArray(rotation)) return shares
  selectionShares(
    rotation.map(({ entry }) => balanceCandidate(entry)),
    now,
  ).forEach((share, i) => {
    const uuid = rotation[i]?.entry.uuid
    if (uuid !== undefined) shares.set(uuid, share)
  })
  return shares
}

/** Steps 1 and 2 below: the members a new request may go to, or why none may. */
function inRotation(provider: ProviderId, entries: readonly MemberEntry[], now: number): Enabled[] | GatewayError {
  const enabled = entries.flatMap((entry): Enabled[] => (entry.member === undefined ? [] : [{ entry, member: entry.member }]))
  if (enabled.length === 0) return noMember(`every ${provider} member is disabled in the pools file`)
  const resting = enabled.filter(({ entry }) => !isCoolingDown(entry.state, now))
  if (resting.length === 0) return allCoolingDown(provider, enabled, now)
  const admitted = resting.filter(({ entry }) => admitsTraffic(entry))
  return admitted.length > 0 ? admitted : resting
}

function balanceCandidate(entry: MemberEntry): BalanceCandidate {
  return { weight: entry.spec.weight, latency: entry.state.latency, consecutiveFailures: entry.state.consecutiveFailures, inFlight: entry.state.inFlight }
}

/** Below its maxConcurrent limit (or without one). */
export function hasRoom(entry: MemberEntry): boolean {
  const limit = entry.spec.maxConcurrent
  return limit === undefined || entry.state.inFlight < limit
}

function admitsTraffic(entry: MemberEntry): boolean {
  const { breaker, inFlight } = entry.state
  return breaker === 'closed' || (breaker === 'half-open' && inFlight === 0)
}

function allCoolingDown(provider: ProviderId, entries: readonly Enabled[], now: number): GatewayError {
  const until = Math.min(...entries.map(({ entry }) => entry.state.cooldownUntil ?? now))
  const retryAfterMs = Math.max(0, until - now)
  const seconds = Math.ceil(retryAfterMs / 1000)
  const who = entries.length === 1 ? `the only ${provider} member is` : `all ${entries.length} ${provider} members are`
  return noMember(`${who} ${restReason(entries)}; retry in ${seconds} s`, retryAfterMs)
}

type Cause = CooldownCause | 'unknown'

const CAUSE_TEXT: Record<Cause, { alone: string; counted: string }> = {
  rate_limited: { alone: 'rate-limited by the upstream', counted: 'rate-limited' },
  quota_exhausted: { alone: 'out of quota', counted: 'out of quota' },
  upstream_error: { alone: 'resting after upstream server errors (5xx)', counted: 'after server errors' },
  unknown: { alone: 'resting after upstream errors', counted: 'after errors' },
}

/** Why the members rest: one cause in words, or a count per cause ("resting: 2 rate-limited, 1 out of quota"). */
function restReason(entries: readonly Enabled[]): string {
  const counts = new Map<Cause, number>()
  for (const { entry } of entries) {
    const cause = entry.state.cooldownCause ?? 'unknown'
    counts.set(cause, (counts.get(cause) ?? 0) + 1)
  }
  const causes = [...counts.keys()]
  if (causes.length === 1) return CAUSE_TEXT[causes[0] as Cause].alone
  return `resting: ${[...counts].map(([cause, n]) => `${n} ${CAUSE_TEXT[cause].counted}`).join(', ')}`
}

/** Selection found no member: the gateway's answer, not any one member's failure. */
function noMember(message: string, retryAfterMs?: number): GatewayError {
  return unavailable(message, { scope: 'gateway', retryAfterMs })
}
