// Health passes: a minimal real request to the members worth checking. Probes spend the
// user's quota, so a member that served real traffic successfully since the previous pass
// is left alone; members in doubt (failing, cooling down, breaker not closed) and idle ones
// are probed, a bounded number at a time, each under a timeout it cannot ignore.
import { type GatewayError, toGatewayError, badGateway, gatewayTimeout } from '../errors/gateway-error.ts'
import type { Logger } from '../log.ts'
import type { MemberEntry } from './member-entry.ts'
import { isInDoubt, recordFailure, recordProbeSuccess } from './member-state.ts'
import { runLimited } from './run-limited.ts'
import type { PoolMember } from './types.ts'

export const HEALTH_CONCURRENCY = 4

export interface HealthPassOptions {
  now: () => number
  timeoutMs: number
  failureThreshold: number
  log: Logger
  /** Start of the previous pass (or of the pools): success after it spares a member its probe. */
  since: number
  concurrency?: number
  /** Each probe's outcome is in the member's state (other replicas may want it at once). */
  onProbed?: (entry: MemberEntry) => void
}

export interface ProbeOutcome {
  provider: string
  uuid: string
  ok: boolean
}

/** Enabled members with checks on that are in doubt or idle since `since`. */
export function membersToProbe(entries: readonly MemberEntry[], now: number, since: number): MemberEntry[] {
  return entries.filter((entry) => {
    if (entry.member === undefined || !entry.spec.checkHealth) return false
    const servedRecently = entry.state.lastServedAt !== null && entry.state.lastServedAt >= since
    return isInDoubt(entry.state, now) || !servedRecently
  })
}

export async function runHealthPass(entries: readonly MemberEntry[], options: HealthPassOptions): Promise<ProbeOutcome[]> {
  readmitUnchecked(entries, options.log)
  const chosen = membersToProbe(entries, options.now(), options.since)
  return runLimited(chosen, options.concurrency ?? HEALTH_CONCURRENCY, async (entry) => {
    const outcome = await probeEntry(entry, options)
    options.onProbed?.(entry)
    return outcome
  })
}

/**
 * Members with checks off are judged by real traffic only: each pass lets an open one back
 * in half-open, where a single trial request closes or re-opens it.
 */
function readmitUnchecked(entries: readonly MemberEntry[], log: Logger): void {
  for (const entry of entries) {
    if (entry.member === undefined || entry.spec.checkHealth || entry.state.breaker !== 'open') continue
    entry.state.breaker = 'half-open'
    log.info(`pools: ${entry.provider} member ${entry.uuid} (health checks off) gets a trial request`, {
      event: 'breaker',
      provider: entry.provider,
      instance: entry.uuid,
      breaker: 'half-open',
    })
  }
}

async function probeEntry(entry: MemberEntry, options: HealthPassOptions): Promise<ProbeOutcome> {
  const { now, log } = options
  const member = entry.member
  const outcome = { provider: entry.provider, uuid: entry.uuid }
  if (member === undefined) return { ...outcome, ok: false }
  const wasOpen = entry.state.breaker === 'open'
  const started = now()
  try {
    await probeWithTimeout(member, options.timeoutMs)
    recordProbeSuccess(entry.state, now() - started, now())
    if (wasOpen)
      log.info(`pools: ${entry.provider} member ${entry.uuid} passed its health check and is back in rotation`, {
        event: 'health',
        provider: entry.provider,
        instance: entry.uuid,
        ok: true,
        breaker: 'closed',
      })
    return { ...outcome, ok: true }
  } catch (thrown) {
    entry.state.lastCheck = now()
    const error = asProbeError(thrown)
    if (error.scope === 'request') {
      // The probe itself was refused (e.g. an unknown checkModelName): says nothing about the member.
      entry.state.lastError = log.redact(`${error.status} ${error.kind}: ${error.message}`)
      log.warn(`pools: health probe of ${entry.provider} member ${entry.uuid} was refused (${error.message}); check its checkModelName`, {
        event: 'health',
        provider: entry.provider,
        instance: entry.uuid,
        ok: false,
      })
      return { ...outcome, ok: false }
    }
    recordFailure(entry.state, error, now(), options.failureThreshold, (text) => log.redact(text))
    log.warn(`pools: health probe of ${entry.provider} member ${entry.uuid} failed: ${error.message}`, {
      event: 'health',
      provider: entry.provider,
      instance: entry.uuid,
      ok: false,
      breaker: entry.state.breaker,
    })
    return { ...outcome, ok: false }
  }
}

/** The probe, abandoned when the timeout fires even if the client ignores its signal. */
async function probeWithTimeout(member: PoolMember, timeoutMs: number): Promise<void> {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = gatewayTimeout(`health probe got no answer within ${timeoutMs} ms`)
      controller.abort(error)
      reject(error)
    }, timeoutMs)
  })
  const probing = Promise.resolve().then(() => member.client.probe(member.checkModelName, controller.signal))
  // A probe that settles after the timeout must not surface as an unhandled rejection.
  probing.catch(() => undefined)
  try {
    await Promise.race([probing, timedOut])
  } catch (error) {
    throw controller.signal.aborted ? controller.signal.reason : error
  } finally {
    clearTimeout(timer)
  }
}

/** Anything but a refused request means the member did not prove itself: count it against the member. */
function asProbeError(thrown: unknown): GatewayError {
  const error = toGatewayError(thrown)
  if (error.scope !== 'gateway') return error
  return badGateway(error.message, { cause: thrown })
}
