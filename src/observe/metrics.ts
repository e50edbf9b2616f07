// The gateway's Prometheus metrics (GET /metrics), one registry per gateway. Requests are
// recorded once, when they end; pool gauges are read from the pools snapshot at scrape time,
// so the data path never touches them.
import type { SharingStatus } from '../pools/sharing.ts'
import type { MemberSnapshot, Pools } from '../pools/types.ts'
import type { Exchange } from './exchange.ts'
import { registerProcessMetrics } from './process-metrics.ts'
import { Collected, CONTENT_TYPE, Counter, Histogram, Registry } from './prometheus.ts'

/** 0.1 ms … 5 s: the gateway's own time is usually well under a millisecond. */
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5]
/** 5 ms … 10 min: LLM answers take from milliseconds (cached, short) to minutes (long streams). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600]

export interface Metrics {
  record(exchange: Exchange): void
  /** One failover: an attempt failed and another member (or a retry of one) took over. */
  failover(provider: string): void
  /** The exposition text and its content type. */
  scrape(): { text: string; contentType: string }
}

export function createMetrics(pools: Pools, sharing?: () => SharingStatus): Metrics {
  const registry = new Registry()
  const requests = registry.add(
    new Counter('switchboard_requests_total', 'API requests by client dialect, provider, pool member and HTTP status', [
      'dialect',
      'provider',
      'instance',
      'status',
    ]),
  )
  const duration = registry.add(
    new Histogram('switchboard_request_duration_seconds', 'Whole request time, until the last byte of the answer', ['dialect', 'provider'], LATENCY_BUCKETS),
  )
  const ttfb = registry.add(
    new Histogram(
      'switchboard_upstream_ttfb_seconds',
      'Time from sending the upstream request to its first byte (the attempt that answered)',
      ['provider', 'instance'],
      LATENCY_BUCKETS,
    ),
  )
  const overhead = registry.add(
    new Histogram(
      'switchboard_gateway_overhead_seconds',
      'Time spent in the gateway itself before the answer started: request time to the answer headers minus upstream waits',
      ['dialect'],
      OVERHEAD_BUCKETS,
    ),
  )
  const tokens = registry.add(
    new Counter('switchboard_tokens_total', 'Tokens reported by the upstream, by provider, pool member and type (input or output)', [
      'provider',
      'instance',
      'type',
    ]),
  )
  const failovers = registry.add(
    new Counter('switchboard_failovers_total', 'Attempts that failed and were retried on another member or the same one', ['provider']),
  )
  const members = (value: (member: MemberSnapshot) => number) => () =>
    Object.entries(pools.snapshot()).flatMap(([provider, list]) => (list ?? []).map((member) => ({ values: [provider, member.uuid], value: value(member) })))
  registry.add(
    new Collected(
      'switchboard_pool_member_up',
      'Whether the pool member is in rotation (1) or not (0: disabled, breaker open, cooling down)',
      'gauge',
      ['provider', 'instance'],
      members((member) => (member.healthy && !member.disabled && member.cooldownUntil === null ? 1 : 0)),
    ),
  )
  registry.add(
    new Collected(
      'switchboard_pool_member_in_flight',
      'Requests the pool member is serving now',
      'gauge',
      ['provider', 'instance'],
      members((member) => member.inFlight),
    ),
  )
  registry.add(
    new Collected(
      'switchboard_redis_reachable',
      'With REDIS_URL: whether Redis answers (1), so state is shared with the other replicas, or not (0)',
      'gauge',
      [],
      () => (sharing === undefined ? [] : [{ values: [], value: sharing().redisReachable ? 1 : 0 }]),
    ),
  )
  registerProcessMetrics(registry)

  return {
    record(exchange) {
      // Requests that never reached an API route (health, docs, the dashboard) are not API traffic.
      const dialect = exchange.dialect
      if (dialect === undefined) return
      const provider = exchange.provider ?? 'none'
      const instance = exchange.instance ?? 'none'
      requests.inc([dialect, provider, instance, String(exchange.status)])
      duration.observe([dialect, provider], exchange.durationMs / 1000)
      const gateway = exchange.gatewayMs
      if (gateway !== undefined) overhead.observe([dialect], gateway / 1000)
      if (exchange.upstreamMs !== undefined) ttfb.observe([provider, instance], exchange.upstreamMs / 1000)
      if (exchange.inputTokens) tokens.inc([provider, instance, 'input'], exchange.inputTokens)
      if (exchange.outputTokens) tokens.inc([provider, instance, 'output'], exchange.outputTokens)
    },
    failover(provider) {
      failovers.inc([provider])
    },
    scrape: () => ({ text: registry.text(), contentType: CONTENT_TYPE }),
  }
}
