// The pools of every provider: picking members, leases, health passes, token refresh,
// state persistence and hot reload of the pools file, built from injected config, clock,
// randomness and scheduler so many independent instances can run side by side.
import { readBoundedText, SETTINGS_FILE_MAX_BYTES } from '../fs/read-bounded.ts'
import type { AppConfig } from '../config/schema.ts'
import { registerSensitive } from '../config/sensitive.ts'
import { type GatewayError, clientClosed, rateLimited, unavailable } from '../errors/gateway-error.ts'
import { isProviderId, type ProviderDeps, type ProviderId } from '../providers/types.ts'
import { allEntries, buildPools, type PoolMap, type ProviderPool } from './generation.ts'
import { runHealthPass, type ProbeOutcome } from './health.ts'
import { openLease } from './lease.ts'
import { retireClient, type MemberEntry } from './member-entry.ts'
import { parsePoolsFile, PoolsError, PoolsFileError, type PoolsFile, type ProviderDefinitions } from './pools-file.ts'
import { cronPatternProblem, systemScheduler, type Cancel, type Scheduler } from './scheduler.ts'
import { selectMember, trafficShares } from './select.ts'
import { WaitQueue } from './wait-queue.ts'
import { snapshotEntry } from './snapshot.ts'
import { readStateFile, renderState, restoreState, statePathFor, StateWriter } from './state-file.ts'
import type { CredentialSharing } from '../providers/oauth/shared-credential.ts'
import type { PoolSharing } from './sharing.ts'
import { SessionAffinity } from './sticky.ts'
import { refreshNearExpiry } from './token-refresh.ts'
import type { MemberSnapshot, PickOptions, PickResult, Pools } from './types.ts'
import { watchFile } from './watch.ts'

export interface PoolsOptions {
  config: AppConfig
  definitions: ProviderDefinitions
  /** Passed to every client; `now` is also the pools' clock. */
  deps: ProviderDeps
  /** Providers set up at once (MODEL_PROVIDER's list); providers in the pools file always are. Others are set up on first use. */
  providers: readonly ProviderId[]
  /** Absolute path of provider_pools.json; without it every provider is its top-level credentials. */
  poolsFilePath?: string
  /** Returns values in [0, 1); seeded in tests. */
  random?: () => number
  /** Background timing; tests pass a manual one. */
  scheduler?: Scheduler
  /** Other replicas to share member verdicts and sticky sessions with (REDIS_URL). */
  sharing?: PoolSharing
  /** OAuth credentials shared with other replicas (REDIS_URL). */
  credentials?: CredentialSharing
}

export interface PoolsRuntime extends Pools {
  /** One health pass now (the cron calls the same); concurrent calls share the running pass. */
  runHealthPass(): Promise<ProbeOutcome[]>
  /** Refreshes credentials near expiry on every member (the refresh cron calls the same). */
  refreshTokens(): Promise<void>
  /** Re-reads the pools file; false (and the old pools stay) when it is invalid. */
  reload(): boolean
  /** Writes pending state now. */
  flushState(): void
}

/** Throws PoolsError (PoolsFileError for the file) on a setup problem the user must fix. */
export function createPools(options: PoolsOptions): PoolsRuntime {
  const { config, definitions, deps } = options
  const { log } = deps
  const cronProblem = cronPatternProblem(config.HEALTH_CHECK_CRON)
  if (cronProblem !== undefined) throw new PoolsError(`HEALTH_CHECK_CRON "${config.HEALTH_CHECK_CRON}" is not a valid croner pattern: ${cronProblem}`)
  const scheduler = options.scheduler ?? systemScheduler(log)
  const random = options.random ?? Math.random
  const path = options.poolsFilePath
  const failureThreshold = config.POOL_FAILURE_THRESHOLD

  // The text last read, valid or not, so a watcher event without an edit changes nothing.
  let lastSeenText: string | undefined
  let file: PoolsFile | undefined = path === undefined ? undefined : readPools(path)
  let pools: PoolMap = build(file, new Map())
  announce(file)

  const statePath = path === undefined ? undefined : statePathFor(path)
  const writer = statePath === undefined ? undefined : new StateWriter(statePath, () => renderState(pools), scheduler, log)
  if (statePath !== undefined) {
    const saved = readStateFile(statePath, log)
    if (saved !== undefined) restoreState(pools, saved, deps.now())
  }

  const sessions = new SessionAffinity()
  const { sharing } = options
  sharing?.attach({
    entry: (provider, uuid) => (isProviderId(provider) ? pools.get(provider)?.entries.find((entry) => entry.uuid === uuid) : undefined),
    assignSession(id, uuid, at, onlyIfUnknown) {
      if (!onlyIfUnknown || sessions.get(id, deps.now()) === undefined) sessions.set(id, uuid, at)
    },
    changed: () => writer?.changed(),
  })
  const queues = new Map<ProviderId, WaitQueue<PickResult>>()
  const queueOf = (provider: ProviderId) => {
    let queue = queues.get(provider)
    if (queue === undefined) queues.set(provider, (queue = new WaitQueue()))
    return queue
  }
  const drainAll = () => {
    for (const queue of queues.values()) queue.drain()
  }
  let healthSince = deps.now()
  let healthRun: Promise<ProbeOutcome[]> | undefined
  const stops: Cancel[] = []
  let started = false
  let stopped = false

  function readPools(filePath: string): PoolsFile {
    let text: string
    try {
      text = readBoundedText(filePath, SETTINGS_FILE_MAX_BYTES)
    } catch (error) {
      throw new PoolsFileError(`cannot read pools file ${filePath}: ${error instanceof Error ? error.message : String(error)}`)
    }
    lastSeenText = text
    return parsePoolsFile(text, filePath, config, definitions)
  }

  function build(source: PoolsFile | undefined, previous: PoolMap, providers: readonly ProviderId[] = options.providers): PoolMap {
    const credentials = options.credentials === undefined ? {} : { credentials: options.credentials }
    const next = buildPools({ specs: source?.members ?? [], providers, config, definitions, deps, previous, ...credentials })
    for (const entry of allEntries(next)) registerSensitive(log, entry.spec.config)
    return next
  }

  function announce(source: PoolsFile | undefined): void {
    for (const warning of source?.warnings ?? []) log.warn(`pools: ${warning}`)
  }

  /** The provider's pool, set up on first use when the top-level config can serve it. */
  function poolFor(provider: ProviderId): ProviderPool {
    const existing = pools.get(provider)
    if (existing !== undefined && existing.entries.length > 0) return existing
    const definition = definitions[provider]
    if (definition === undefined) return { provider, entries: [], notConfigured: `provider ${provider} is not available in this build` }
    // Checked again on every use while unconfigured: the credentials may appear later.
    const problem = definition.notConfigured(config)
    if (problem !== undefined) return { provider, entries: [], notConfigured: problem }
    try {
      pools = build(file, pools, [provider])
    } catch (error) {
      return { provider, entries: [], notConfigured: error instanceof Error ? error.message : String(error) }
    }
    return pools.get(provider) ?? { provider, entries: [], notConfigured: `provider ${provider} could not be set up` }
  }

  /** A lease or why none can be had; undefined while every candidate is at its maxConcurrent. */
  function tryPick(provider: ProviderId, pickOptions: PickOptions): PickResult | undefined {
    if (stopped) return { error: unavailable('the gateway is shutting down', { scope: 'gateway' }) }
    const pool = poolFor(provider)
    if (pool.entries.length === 0) {
      return {
        error: unavailable(notConfiguredMessage(provider, pool.notConfigured), { scope: 'gateway' }),
      }
    }
    const now = deps.now()
    const sessionKey =
      pickOptions.sessionKey === undefined
        ? undefined
        : sharing === undefined
          ? `${provider}\u0000${pickOptions.sessionKey}`
          : sharing.sessionId(provider, pickOptions.sessionKey)
    const stickyUuid = sessionKey === undefined ? undefined : sessions.get(sessionKey, now)
    const selection = selectMember({
      provider,
      entries: pool.entries,
      tried: pickOptions.tried,
      ...(pickOptions.untriedOnly ? { untriedOnly: true } : {}),
      ...(stickyUuid === undefined ? {} : { stickyUuid }),
      now,
      random,
    })
    if ('full' in selection) return undefined
    if ('error' in selection) return selection
    const { entry, member, retryOfSame } = selection
    const lease = openLease(entry, member, retryOfSame, {
      now: deps.now,
      failureThreshold,
      redact: (text) => log.forClient(text),
      onServed: (served) => {
        if (sessionKey === undefined) return
        const at = deps.now()
        sessions.set(sessionKey, served.uuid, at)
        sharing?.sessionServed(sessionKey, served.uuid, at)
      },
      onChange: () => writer?.changed(),
      onVerdict: (changed) => sharing?.memberChanged(changed),
      onBreakerOpen: (opened, error) =>
        log.warn(`pools: ${opened.provider} member ${opened.uuid} is out of rotation (breaker open): ${error.message}`, {
          event: 'breaker',
          provider: opened.provider,
          instance: opened.uuid,
          breaker: 'open',
        }),
      onEnd: () => queues.get(provider)?.drain(),
    })
    return { lease }
  }

  function pick(provider: ProviderId, pickOptions: PickOptions): PickResult {
    return tryPick(provider, pickOptions) ?? { error: queueTimeout(provider, 0) }
  }

  function acquire(provider: ProviderId, pickOptions: PickOptions, signal: AbortSignal): Promise<PickResult> {
    const waitMs = config.QUEUE_TIMEOUT_MS
    return queueOf(provider).wait(() => tryPick(provider, pickOptions), {
      ms: waitMs,
      signal,
      after: scheduler.after,
      timedOut: () => ({ error: queueTimeout(provider, waitMs) }),
      aborted: () => ({ error: clientClosed('the client went away while waiting for a free slot') }),
    })
  }

  function reload(): boolean {
    if (path === undefined) return false
    try {
      const next = readPools(path)
      const nextPools = build(next, pools)
      file = next
      pools = nextPools
    } catch (error) {
      log.error(`pools: keeping the current pools: ${error instanceof Error ? error.message : String(error)}`, { event: 'reload', ok: false })
      return false
    }
    announce(file)
    drainAll()
    log.info(`pools: reloaded ${path} (${file.members.length} members)`, { event: 'reload', members: file.members.length })
    writer?.changed()
    return true
  }

  function reloadIfChanged(): void {
    if (path === undefined) return
    let text: string | undefined
    try {
      text = readBoundedText(path, SETTINGS_FILE_MAX_BYTES)
    } catch {
      text = undefined
    }
    if (text !== undefined && text === lastSeenText) return
    reload()
  }

  function runHealthPassNow(): Promise<ProbeOutcome[]> {
    if (healthRun !== undefined) return healthRun
    const since = healthSince
    healthSince = deps.now()
    const entries = allEntries(pools)
    const onProbed = sharing === undefined ? {} : { onProbed: (probed: MemberEntry) => sharing.memberChanged(probed) }
    healthRun = runHealthPass(entries, { now: deps.now, timeoutMs: config.HEALTH_CHECK_TIMEOUT_MS, failureThreshold, log, since, ...onProbed }).finally(() => {
      healthRun = undefined
      writer?.changed()
      // Trial readmissions of members without checks change verdicts too.
      for (const entry of entries) sharing?.memberChanged(entry)
    })
    return healthRun
  }

  function refreshTokens(): Promise<void> {
    return refreshNearExpiry(allEntries(pools), config.CRON_NEAR_MINUTES * 60_000, log)
  }

  return {
    pick,
    acquire,
    isConfigured(provider) {
      const pool = pools.get(provider)
      if (pool !== undefined && pool.entries.length > 0) return pool.entries.some((entry) => entry.member !== undefined)
      const definition = definitions[provider]
      return definition !== undefined && definition.notConfigured(config) === undefined
    },
    sizes() {
      const sizes: Partial<Record<ProviderId, number>> = {}
      for (const pool of pools.values()) if (pool.entries.length > 0) sizes[pool.provider] = pool.entries.length
      return sizes
    },
    snapshot() {
      const now = deps.now()
      const result: Partial<Record<ProviderId, MemberSnapshot[]>> = {}
      for (const pool of pools.values()) {
        if (pool.entries.length === 0) continue
        const shares = trafficShares(pool.provider, pool.entries, now)
        const queued = queues.get(pool.provider)?.length ?? 0
        result[pool.provider] = pool.entries.map((entry) => snapshotEntry(entry, now, shares.get(entry.uuid) ?? 0, queued))
      }
      return result
    },
    start() {
      if (started || stopped) return
      started = true
      stops.push(scheduler.cron(config.HEALTH_CHECK_CRON, runHealthPassNow))
      if (config.CRON_REFRESH_TOKEN) {
        stops.push(scheduler.every(config.CRON_NEAR_MINUTES * 60_000, refreshTokens))
        void refreshTokens()
      }
      if (path !== undefined) stops.push(watchFile(path, reloadIfChanged, scheduler, log))
    },
    async stop() {
      if (stopped) return
      stopped = true
      for (const cancel of stops.splice(0)) cancel()
      // Waiting requests learn at once that nothing will serve them.
      drainAll()
      writer?.flush()
      for (const entry of allEntries(pools)) retireClient(entry)
    },
    runHealthPass: runHealthPassNow,
    refreshTokens,
    reload,
    flushState: () => writer?.flush(),
  }
}

/** Every member stayed at its maxConcurrent limit for the whole wait: 429, try again shortly. */
function queueTimeout(provider: ProviderId, waitedMs: number): GatewayError {
  const waited = waitedMs > 0 ? `; no slot came free within ${waitedMs} ms (QUEUE_TIMEOUT_MS)` : ''
  return rateLimited(`every ${provider} member is at its maxConcurrent limit${waited}`, {
    scope: 'gateway',
    retryAfterMs: 1000,
  })
}

/** The 503 text for a provider without members; reasons that already name the provider stand alone. */
function notConfiguredMessage(provider: ProviderId, reason = 'no members'): string {
  return reason.startsWith(`provider ${provider} `) ? reason : `provider ${provider} is not configured: ${reason}`
}
