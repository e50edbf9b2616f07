// What is measured: each scenario is one request shape at one concurrency against several
// targets (the upstream directly, the plain Bun proxy, the gateway builds), run
// back to back in every round. A scenario names the gateway instance it needs, so a
// BENCH_SCENARIOS run starts only those.
import { FEATURES, featureUnavailable } from './features.ts'
import { type Build, CLIENT_KEY, type Fleet, type Instance, POOL_SIZES } from './setup.ts'
import { SLOW_MODEL } from './upstream.ts'

export type Kind = 'direct' | 'plain' | Build

export interface Target {
  kind: Kind
  url: string
  /** The process whose CPU and RSS are reported. */
  pid: number
}

export interface ScenarioSpec {
  id: string
  title: string
  connections: number
  body: string
  /** Streamed: time to first byte is probed too. */
  stream: boolean
  /** Text every answer must contain (checked once before measuring). */
  expect: string
  /** The gateway instance (bench/setup.ts) and path measured. */
  instance: Instance
  path: string
  /** Also measure the fake upstream directly at this path. */
  direct?: string
  /** Also measure the plain proxy (same body, /v1/chat/completions). */
  plain?: boolean
  /** The direct target's body, when it speaks another dialect than the client. */
  directBody?: string
  /** Scenario whose same-build gateway row is the reference of the ratio column. */
  reference?: string
  /** Upstream path segments whose request/failure counts are reported. */
  segments?: string[]
}

export interface Scenario extends ScenarioSpec {
  targets: Target[]
}

const message = [{ role: 'user', content: 'hello' }]
export const OPENAI_BODY = JSON.stringify({ model: 'bench-model', messages: message })
export const OPENAI_STREAM_BODY = JSON.stringify({ model: 'bench-model', stream: true, messages: message })
export const ANTHROPIC_STREAM_BODY = JSON.stringify({ model: 'bench-model', max_tokens: 64, stream: true, messages: message })
export const OPENAI_SLOW_BODY = JSON.stringify({ model: SLOW_MODEL, stream: true, messages: message })

export const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` }
export const ANTHROPIC_HEADERS = { 'content-type': 'application/json', 'x-api-key': CLIENT_KEY, 'anthropic-version': '2023-06-01' }

const nonStream = { connections: 32, body: OPENAI_BODY, stream: false, expect: 'chat.completion', path: '/v1/chat/completions' }

/** Every scenario, in the order they run. */
export const SCENARIOS: ScenarioSpec[] = [
  { ...nonStream, id: 'openai-c1', title: 'passthrough OpenAI, non-stream', connections: 1, instance: 'main', direct: '/v1/chat/completions', plain: true },
  { ...nonStream, id: 'openai-c32', title: 'passthrough OpenAI, non-stream', instance: 'main', direct: '/v1/chat/completions', plain: true },
  {
    id: 'openai-stream',
    title: 'passthrough OpenAI stream (20 chunks)',
    connections: 8,
    body: OPENAI_STREAM_BODY,
    stream: true,
    expect: '[DONE]',
    instance: 'main',
    path: '/v1/chat/completions',
    direct: '/v1/chat/completions',
    plain: true,
  },
  {
    id: 'converted-stream',
    title: 'converted stream: OpenAI client → claude-custom',
    connections: 8,
    body: OPENAI_STREAM_BODY,
    directBody: ANTHROPIC_STREAM_BODY,
    stream: true,
    expect: 'word17',
    reference: 'openai-stream',
    instance: 'main',
    path: '/claude-custom/v1/chat/completions',
    direct: '/v1/messages',
  },
  {
    ...nonStream,
    id: 'local-echo',
    title: 'local-echo (no upstream), non-stream',
    expect: 'hello',
    reference: 'openai-c32',
    instance: 'main',
    path: '/local-echo/v1/chat/completions',
  },
  ...POOL_SIZES.map((size) => ({
    ...nonStream,
    id: `pool-${size}`,
    title: `pool of ${size} healthy member${size === 1 ? '' : 's'}`,
    reference: 'pool-1',
    instance: `pool-${size}`,
  })),
  {
    ...nonStream,
    id: 'pool-one-flaky',
    title: 'pool of 4, one member fails every 5th request',
    reference: 'openai-c32',
    segments: ['m1', 'm2', 'm3', 'flaky'],
    instance: 'pool-one',
  },
  {
    ...nonStream,
    id: 'pool-all-flaky',
    title: 'pool of 4, every member fails every 5th request',
    reference: 'openai-c32',
    segments: ['flaky1', 'flaky2', 'flaky3', 'flaky4'],
    instance: 'pool-all',
  },
  ...FEATURES.map((feature) => ({
    ...nonStream,
    id: feature.id,
    title: `passthrough OpenAI, non-stream, ${feature.title}`,
    reference: 'openai-c32',
    instance: feature.id,
  })),
]

/** The scenarios BENCH_SCENARIOS names (all when unset), without features this machine cannot run. */
export function chooseScenarios(only: string[] | undefined, skipped: (line: string) => void): ScenarioSpec[] {
  const unavailable = new Map(
    FEATURES.flatMap((feature) => {
      const reason = featureUnavailable(feature)
      return reason === undefined ? [] : [[feature.id, reason] as const]
    }),
  )
  return SCENARIOS.filter((spec) => {
    if (only !== undefined && !only.includes(spec.id)) return false
    const reason = unavailable.get(spec.id)
    if (reason !== undefined) skipped(`${spec.id}: skipped, ${reason}`)
    return reason === undefined
  })
}

export function buildScenarios(specs: ScenarioSpec[], fleet: Fleet): Scenario[] {
  const up = fleet.upstream
  const gateway = (instance: Instance, path: string): Target[] =>
    fleet.builds.map((build) => {
      const server = fleet.gateways[build]?.[instance]
      if (!server) throw new Error(`no ${build} ${instance} gateway`)
      return { kind: build, url: `${server.url}${path}`, pid: server.pid }
    })
  return specs.map((spec) => ({
    ...spec,
    targets: [
      ...(spec.direct ? [{ kind: 'direct' as const, url: `${up.url}${spec.direct}`, pid: up.pid }] : []),
      ...(spec.plain ? [{ kind: 'plain' as const, url: `${fleet.plain.url}/v1/chat/completions`, pid: fleet.plain.pid }] : []),
      ...gateway(spec.instance, spec.path),
    ],
  }))
}

/** The body and headers a target gets in a scenario. */
export function requestFor(scenario: Scenario, target: Target): { body: string; headers: Record<string, string> } {
  if (target.kind === 'direct' && scenario.directBody) return { body: scenario.directBody, headers: ANTHROPIC_HEADERS }
  return { body: scenario.body, headers: HEADERS }
}
