// What the data path needs from pools: pick a member for a provider, then report how the
// attempt went. Balancing, breakers, health checks and persistence live behind this.
import type { MemberConfig } from '../config/schema.ts'
import type { GatewayError } from '../errors/gateway-error.ts'
import type { ProviderClient, ProviderId } from '../providers/types.ts'

export interface PoolMember {
  /** The member's uuid, or `default` for the top-level credentials. */
  uuid: string
  provider: ProviderId
  config: MemberConfig
  client: ProviderClient
  /** Model used by health probes. */
  checkModelName?: string
}

/** One attempt on one member. Every method is safe to call more than once. */
export interface Lease {
  member: PoolMember
  /**
   * Every usable member was already tried in this request, so this is one of them again:
   * the caller should back off before using it.
   */
  retryOfSame: boolean
  /** The upstream answered with a 2xx: a latency sample (time to first byte) and a success. */
  succeeded(ttfbMs: number): void
  /** The attempt failed (before or after the first byte); `error.scope` decides whether it counts against the member. */
  failed(error: GatewayError): void
  /** The request is over (answer finished, failed or aborted): the in-flight slot is released. */
  end(): void
}

export interface PickOptions {
  /** Members already tried in this request (avoided while others are available). */
  tried: ReadonlySet<string>
  /** Refuse rather than hand out a member already tried. */
  untriedOnly?: boolean
  /** Sticky-session key: the member that served it last is preferred while healthy. */
  sessionKey?: string
}

/** A lease, or why none can be had: 503 not configured / nothing available (with Retry-After). */
export type PickResult = { lease: Lease } | { error: GatewayError }

export interface MemberSnapshot {
  uuid: string
  /** False from a member failure until a success (real or probe); an open breaker too. */
  healthy: boolean
  /** Whether the balancer sends it new requests now (false: disabled, resting, shut out or penalised). */
  inRotation: boolean
  /** Its probability of taking the next new request, 0–1. */
  trafficShare: number
  breaker: 'closed' | 'open' | 'half-open'
  consecutiveFailures: number
  disabled: boolean
  weight: number
  latencyMs: number | null
  inFlight: number
  requests: number
  failures: number
  lastError: string | null
  lastCheck: string | null
  cooldownUntil: string | null
  /** Its limit of requests in flight at once; null = none. */
  maxConcurrent: number | null
  /** Requests of this provider waiting for a free slot (the same on every member of the provider). */
  queued: number
}

export interface Pools {
  /** A lease now; when every candidate is at its maxConcurrent, a 429 at once. */
  pick(provider: ProviderId, options: PickOptions): PickResult
  /**
   * A lease, waiting in the provider's FIFO queue while every candidate is at its
   * maxConcurrent limit: up to QUEUE_TIMEOUT_MS (then 429 with Retry-After), or until `signal` aborts.
   */
  acquire(provider: ProviderId, options: PickOptions, signal: AbortSignal): Promise<PickResult>
  /** Whether the provider has at least one usable member configured. */
  isConfigured(provider: ProviderId): boolean
  /** Provider id → member count, for the banner. */
  sizes(): Partial<Record<ProviderId, number>>
  /** Per provider, each member's state; secrets never appear. */
  snapshot(): Partial<Record<ProviderId, MemberSnapshot[]>>
  /** Start background work (health-check cron, token refresh cron, file watch). */
  start(): void
  /** Stop background work and flush state. */
  stop(): Promise<void>
}
