// Prometheus metrics (GET /metrics) on prom-client, one registry per gateway. Requests are
// recorded once, when they end; pool gauges are read from the pools snapshot at scrape time,
// so the data path never touches them.
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { Pools } from '../pools/types.ts'
import type { Exchange } from './exchange.ts'
import { registerProcessMetrics } from './process-metrics.ts'

/** 0.1 ms … 5 s: the gateway's own time is usually well under a millisecond. */
const OVERHEAD_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5]
/** 5 ms … 10 min: LLM answers take from milliseconds (cached, short) to minutes (long streams). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600]

export interface Metrics {
  record(exchange: Exchange): void
  /** One failover: an attempt failed and another member (or a retry) took over. */
  failover(provider: string): void
  /** The exposition text and its content type. */
  scrape(): Promise<{ text: string; contentType: string }>
}

export function createMetrics(pools: Pools): Metrics {
  const registry = new Registry()
  registerProcessMetrics(registry)
  const registers = [registry]
  const requests = new Counter({
    name: 'switchboard_requests_total',
    help: 'API requests by client dialect, provider, pool member and HTTP status',
    labelNames: ['dialect', 'provider', 'instance', 'status'] as const,
    registers,
  })
  const duration = new Histogram({
    name: 'switchboard_request_duration_seconds',
    help: 'Whole request time, until the last byte of the answer',
    labelNames: ['dialect', 'provider'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  })
  const ttfb = new Histogram({
    name: 'switchboard_upstream_ttfb_seconds',
    help: 'Time from sending the upstream request to its first byte (the attempt that answered)',
    labelNames: ['provider', 'instance'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  })
  const overhead = new Histogram({
    name: 'switchboard_gateway_overhead_seconds',
    help: 'Time spent in the gateway itself before the answer started: request time to the first byte minus upstream waits',
    labelNames: ['dialect'] as const,
    buckets: OVERHEAD_BUCKETS,
    registers,
  })
  const tokens = new Counter({
    name: 'switchboard_tokens_total',
    help: 'Tokens reported by the upstream, by provider, pool member and type (input or output)',
    labelNames: ['provider', 'instance', 'type'] as const,
    registers,
  })
  const failovers = new Counter({
    name: 'switchboard_failovers_total',
    help: 'Attempts that failed and were retried on another member or the same one',
    labelNames: ['provider'] as const,
    registers,
  })
  const memberGauge = (name: string, help: string, value: (member: { healthy: boolean; disabled: boolean; inFlight: number; cooling: boolean }) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['provider', 'instance'] as const,
      registers,
      collect() {
        this.reset()
        for (const [provider, members] of Object.entries(pools.snapshot())) {
          for (const member of members ?? []) {
            this.set({ provider, instance: member.uuid }, value({ ...member, cooling: member.cooldownUntil !== null }))
          }
        }
      },
    })
  memberGauge('switchboard_pool_member_up', 'Whether the pool member is in rotation (1) or not (0: disabled, breaker open, cooling down)', (member) =>
    member.healthy && !member.disabled && !member.cooling ? 1 : 0,
  )
  memberGauge('switchboard_pool_member_in_flight', 'Requests the pool member is serving now', (member) => member.inFlight)

  return {
    record(exchange) {
      // Requests that never reached an API route (health, docs, the dashboard) are not API traffic.
      if (exchange.dialect === undefined) return
      const provider = exchange.provider ?? 'none'
      const instance = exchange.instance ?? 'none'
      requests.inc({ dialect: exchange.dialect, provider, instance, status: exchange.status })
      duration.observe({ dialect: exchange.dialect, provider }, exchange.durationMs / 1000)
      if (exchange.gatewayMs !== undefined) overhead.observe({ dialect: exchange.dialect }, exchange.gatewayMs / 1000)
      if (exchange.upstreamMs !== undefined) ttfb.observe({ provider, instance }, exchange.upstreamMs / 1000)
      if (exchange.inputTokens) tokens.inc({ provider, instance, type: 'input' }, exchange.inputTokens)
      if (exchange.outputTokens) tokens.inc({ provider, instance, type: 'output' }, exchange.outputTokens)
    },
    failover(provider) {
      failovers.inc({ provider })
    },
    async scrape() {
      return { text: await registry.metrics(), contentType: registry.contentType }
    },
  }
}
