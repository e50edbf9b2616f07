// The performance targets of the gateway, each judged per build from numbers of the same
// run, except the peers', which were measured on this machine earlier
// (docs: peer-bench.md, wrk, 32 connections, non-streaming chat completion).
import type { Cell } from './measure.ts'
import { FEATURE_BUDGET_PCT, FEATURES } from './features.ts'
import type { IdleConnectionsResult, OpenStreamsResult, StartupResult } from './probes.ts'
import type { Kind } from './scenarios.ts'
import type { Build } from './setup.ts'

export const PEERS_AT_32_CONNECTIONS = [
  { name: 'AIClient-2-API early (602ea74)', rps: 1288 },
  { name: 'AIClient-2-API latest (3.1.9, quiet logging)', rps: 818 },
  { name: 'Portkey gateway 1.15.2', rps: 509 },
]

export interface BuildFacts {
  /** Started, nothing served but /health. */
  freshRssMb: number
  /** After one request of every scenario. */
  warmRssMb: number
  afterLoadRssMb: number
  openStreams: { passthrough: OpenStreamsResult; converted: OpenStreamsResult }
  startup: StartupResult
  idleConnections?: IdleConnectionsResult
}

export type Summary = Record<string, Partial<Record<Kind, Cell>>>

export interface Judgement {
  met: boolean
  /** The measured value with what it was compared to. */
  detail: string
}

export interface Verdict {
  target: string
  results: Partial<Record<Build, Judgement>>
}

const pct = (value: number) => `${value.toFixed(0)}%`
const ms = (value: number) => `${value.toFixed(3)} ms`
const rps = (value: number) => Math.round(value).toLocaleString('en-US')

type Rule = { target: string; judge: (build: Build) => Judgement | undefined }

export function judge(summary: Summary, facts: Partial<Record<Build, BuildFacts>>, builds: Build[]): Verdict[] {
  const cell = (scenario: string, kind: Kind) => summary[scenario]?.[kind]
  const ratio = (scenario: string, build: Build, reference: Kind, min: number, referenceScenario = scenario): Judgement | undefined => {
    const gateway = cell(scenario, build)
    const base = cell(referenceScenario, reference)
    if (!gateway || !base) return undefined
    const value = (100 * gateway.rps) / base.rps
    return { met: value >= min, detail: `${pct(value)} (${rps(gateway.rps)} vs ${rps(base.rps)} req/s)` }
  }
  const rules: Rule[] = [
    {
      target: 'openai-c32: req/s ≥ 90% of the plain Bun proxy',
      judge: (build) => ratio('openai-c32', build, 'plain', 90),
    },
    {
      target: 'openai-c1: added p50 latency ≤ 0.15 ms over the upstream direct',
      judge: (build) => difference(cell('openai-c1', build)?.p50, cell('openai-c1', 'direct')?.p50, 0.15),
    },
    {
      target: 'openai-stream: req/s ≥ 85% of the plain Bun proxy',
      judge: (build) => ratio('openai-stream', build, 'plain', 85),
    },
    {
      target: 'converted-stream: req/s ≥ 80% of passthrough stream',
      judge: (build) => ratio('converted-stream', build, build, 80, 'openai-stream'),
    },
    {
      target: 'pool-100: req/s ≥ 90% of a pool of 1',
      judge: (build) => ratio('pool-100', build, build, 90, 'pool-1'),
    },
    ...FEATURES.map((feature) => ({
      target: `${feature.id}: costs ≤ ${FEATURE_BUDGET_PCT}% of openai-c32 req/s`,
      judge: (build: Build) => ratio(feature.id, build, build, 100 - FEATURE_BUDGET_PCT, 'openai-c32'),
    })),
    ...PEERS_AT_32_CONNECTIONS.map((peer) => ({
      target: `openai-c32: req/s ≥ 10× ${peer.name} (${rps(peer.rps)} req/s)`,
      judge: (build: Build): Judgement | undefined => {
        const gateway = cell('openai-c32', build)
        if (!gateway) return undefined
        const times = gateway.rps / peer.rps
        return { met: times >= 10, detail: `${times.toFixed(1)}× (${rps(gateway.rps)} req/s)` }
      },
    })),
    {
      target: 'openai-stream: added time to first byte (p50) ≤ 1 ms',
      judge: (build) => difference(cell('openai-stream', build)?.ttfbP50, cell('openai-stream', 'direct')?.ttfbP50, 1),
    },
    {
      target: 'RSS idle ≤ 60 MB (fresh; after first requests)',
      judge: (build) => {
        const fact = facts[build]
        return (
          fact && {
            met: fact.freshRssMb <= 60 && fact.warmRssMb <= 60,
            detail: `${fact.freshRssMb.toFixed(1)} MB; ${fact.warmRssMb.toFixed(1)} MB (after all runs: ${fact.afterLoadRssMb.toFixed(1)} MB)`,
          }
        )
      },
    },
    {
      target: `RSS with ${Object.values(facts)[0]?.openStreams.passthrough.streams ?? 200} open streams ≤ 150 MB`,
      judge: (build) => {
        const open = facts[build]?.openStreams
        if (!open) return undefined
        const peak = Math.max(open.passthrough.peakRssMb, open.converted.peakRssMb)
        return { met: peak <= 150, detail: `${open.passthrough.peakRssMb.toFixed(1)} MB passthrough, ${open.converted.peakRssMb.toFixed(1)} MB converted` }
      },
    },
    {
      target: 'RSS with 10,000 idle keep-alive client connections (fresh gateway) ≤ 100 MB',
      judge: (build) => {
        const idle = facts[build]?.idleConnections
        return (
          idle && {
            met: idle.rssMb <= 100 && idle.open === idle.connections,
            detail: `${idle.rssMb.toFixed(1)} MB with ${idle.open} of ${idle.connections} open (+${(idle.rssMb - idle.rssBeforeMb).toFixed(1)} MB)`,
          }
        )
      },
    },
    {
      target: 'startup: spawn → first 200 on /health ≤ 100 ms (median)',
      judge: (build) => {
        const startup = facts[build]?.startup
        return (
          startup && {
            met: startup.medianMs <= 100,
            detail: `${startup.medianMs.toFixed(0)} ms (runs ${startup.runs.map((run) => run.toFixed(0)).join(', ')})`,
          }
        )
      },
    },
  ]
  return rules.map((rule) => ({
    target: rule.target,
    results: Object.fromEntries(
      builds.flatMap((build) => {
        const judgement = rule.judge(build)
        return judgement ? [[build, judgement]] : []
      }),
    ),
  }))
}

function difference(value: number | undefined, base: number | undefined, max: number): Judgement | undefined {
  if (value === undefined || base === undefined) return undefined
  const added = value - base
  return { met: added <= max, detail: `+${ms(added)} (${ms(value)} vs ${ms(base)} direct)` }
}
