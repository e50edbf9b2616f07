// One measured run (load + CPU accounting + RSS), and how runs of several rounds are
// summarised into one cell per scenario and target.
import type { LoadGenerator, LoadResult } from './load.ts'
import { median, type Percentiles } from './probes.ts'
import { requestFor, type Kind, type Scenario, type Target } from './scenarios.ts'
import { cpuMs, machineCpuMs, rssMb } from './servers.ts'
import type { SegmentStats } from './upstream.ts'

export interface RunRecord {
  round: number
  scenario: string
  kind: Kind
  load: LoadResult
  /** CPU time of the measured process per answered request, µs. */
  cpuUsPerRequest: number
  /** CPU time of the fake upstream per answered request, µs (same as above for direct runs). */
  upstreamCpuUsPerRequest: number
  rssMb: number
  /** Share of the machine's CPU used by processes outside the bench during the run, %. */
  foreignCpuPct: number
  ttfb?: Percentiles
  /** The first attempt was disturbed by foreign CPU and the run was made again. */
  repeated?: boolean
  /** Upstream request/failure counts per pool segment during the run. */
  segments?: Record<string, SegmentStats>
}

export interface RunContext {
  load: LoadGenerator
  seconds: number
  upstreamPid: number
  upstreamUrl: string
  /** Every server the bench started (their CPU is not foreign). */
  pids: number[]
}

async function segmentStats(upstreamUrl: string): Promise<Record<string, SegmentStats>> {
  return (await (await fetch(`${upstreamUrl}/__stats`)).json()) as Record<string, SegmentStats>
}

function diffSegments(before: Record<string, SegmentStats>, after: Record<string, SegmentStats>, names: string[]): Record<string, SegmentStats> {
  return Object.fromEntries(
    names.map((name) => [
      name,
      { requests: (after[name]?.requests ?? 0) - (before[name]?.requests ?? 0), failures: (after[name]?.failures ?? 0) - (before[name]?.failures ?? 0) },
    ]),
  )
}

export async function measureRun(context: RunContext, scenario: Scenario, target: Target, round: number): Promise<RunRecord> {
  const { body, headers } = requestFor(scenario, target)
  const ours = () => context.pids.reduce((sum, pid) => sum + cpuMs(pid), 0) + cpuMs('self', true)
  const segmentsBefore = scenario.segments ? await segmentStats(context.upstreamUrl) : undefined
  const before = { target: cpuMs(target.pid), upstream: cpuMs(context.upstreamPid), ours: ours(), machine: machineCpuMs() }
  const load = await context.load.run({ url: target.url, connections: scenario.connections, seconds: context.seconds, body, headers })
  const after = { target: cpuMs(target.pid), upstream: cpuMs(context.upstreamPid), ours: ours(), machine: machineCpuMs() }
  const answered = Math.max(1, load.requests)
  const machineTotal = after.machine.total - before.machine.total
  const foreign = after.machine.busy - before.machine.busy - (after.ours - before.ours)
  return {
    round,
    scenario: scenario.id,
    kind: target.kind,
    load,
    cpuUsPerRequest: ((after.target - before.target) * 1000) / answered,
    upstreamCpuUsPerRequest: ((after.upstream - before.upstream) * 1000) / answered,
    rssMb: rssMb(target.pid),
    foreignCpuPct: machineTotal > 0 ? Math.max(0, (100 * foreign) / machineTotal) : 0,
    ...(scenario.segments && segmentsBefore ? { segments: diffSegments(segmentsBefore, await segmentStats(context.upstreamUrl), scenario.segments) } : {}),
  }
}

/** The rounds of one scenario and target, summarised: medians, plus the req/s range. */
export interface Cell {
  rounds: number
  rps: number
  rpsMin: number
  rpsMax: number
  p50: number
  p90: number
  p99: number
  ttfbP50?: number
  ttfbP90?: number
  cpuUsPerRequest: number
  upstreamCpuUsPerRequest: number
  rssMb: number
  non2xx: number
  errors: number
  foreignCpuPctMax: number
  /** Upstream failures answered during the runs per client request (pool scenarios), %. */
  failoverPct?: number
  /** Share of the upstream calls each pool member got, %. */
  memberSharePct?: Record<string, number>
}

export function summarise(records: RunRecord[]): Cell {
  const pick = (get: (record: RunRecord) => number) => median(records.map(get))
  const rps = records.map((record) => record.load.rps)
  const ttfb = records.flatMap((record) => (record.ttfb ? [record.ttfb] : []))
  const failures = records.reduce((sum, record) => sum + Object.values(record.segments ?? {}).reduce((n, s) => n + s.failures, 0), 0)
  const requests = records.reduce((sum, record) => sum + record.load.requests, 0)
  const calls = new Map<string, number>()
  for (const record of records) for (const [name, stats] of Object.entries(record.segments ?? {})) calls.set(name, (calls.get(name) ?? 0) + stats.requests)
  const totalCalls = [...calls.values()].reduce((sum, n) => sum + n, 0)
  return {
    rounds: records.length,
    rps: median(rps),
    rpsMin: Math.min(...rps),
    rpsMax: Math.max(...rps),
    p50: pick((record) => record.load.p50),
    p90: pick((record) => record.load.p90),
    p99: pick((record) => record.load.p99),
    ...(ttfb.length > 0 ? { ttfbP50: median(ttfb.map((t) => t.p50)), ttfbP90: median(ttfb.map((t) => t.p90)) } : {}),
    cpuUsPerRequest: pick((record) => record.cpuUsPerRequest),
    upstreamCpuUsPerRequest: pick((record) => record.upstreamCpuUsPerRequest),
    rssMb: Math.max(...records.map((record) => record.rssMb)),
    non2xx: records.reduce((sum, record) => sum + record.load.non2xx, 0),
    errors: records.reduce((sum, record) => sum + record.load.errors, 0),
    foreignCpuPctMax: Math.max(...records.map((record) => record.foreignCpuPct)),
    ...(calls.size > 0
      ? {
          failoverPct: (100 * failures) / Math.max(1, requests),
          memberSharePct: Object.fromEntries([...calls].map(([name, n]) => [name, (100 * n) / Math.max(1, totalCalls)])),
        }
      : {}),
  }
}
