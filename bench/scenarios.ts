// What is measured: each scenario is one request shape at one concurrency against several
// targets (the upstream directly, the plain Bun proxy, the gateway builds), run
// back to back in every round.
import type { Build, Fleet, Instance } from './setup.ts'
import { CLIENT_KEY } from './setup.ts'
import { SLOW_MODEL } from './upstream.ts'

export type Kind = 'direct' | 'plain' | Build

export interface Target {
  kind: Kind
  url: string
  /** The process whose CPU and RSS are reported. */
  pid: number
}

export interface Scenario {
  id: string
  title: string
  connections: number
  body: string
  /** Streamed: time to first byte is probed too. */
  stream: boolean
  /** Text every answer must contain (checked once before measuring). */
  expect: string
  /** The direct target's body, when it speaks another dialect than the client. */
  directBody?: string
  /** Scenario whose same-build gateway row is the reference of the ratio column. */
  reference?: string
  /** Upstream path segments whose request/failure counts are reported. */
  segments?: string[]
  targets: Target[]
}

const message = [{ role: 'user', content: 'hello' }]
export const OPENAI_BODY = JSON.stringify({ model: 'bench-model', messages: message })
export const OPENAI_STREAM_BODY = JSON.stringify({ model: 'bench-model', stream: true, messages: message })
export const ANTHROPIC_STREAM_BODY = JSON.stringify({ model: 'bench-model', max_tokens: 64, stream: true, messages: message })
export const OPENAI_SLOW_BODY = JSON.stringify({ model: SLOW_MODEL, stream: true, messages: message })

export const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${CLIENT_KEY}` }
export const ANTHROPIC_HEADERS = { 'content-type': 'application/json', 'x-api-key': CLIENT_KEY, 'anthropic-version': '2023-06-01' }

export function buildScenarios(fleet: Fleet): Scenario[] {
  const up = fleet.upstream
  const gateway = (instance: Instance, path: string): Target[] =>
    fleet.builds.map((build) => {
      const server = fleet.gateways[build]?.[instance]
      if (!server) throw new Error(`no ${build} ${instance} gateway`)
      return { kind: build, url: `${server.url}${path}`, pid: server.pid }
    })
  const direct = (path: string): Target => ({ kind: 'direct', url: `${up.url}${path}`, pid: up.pid })
  const plain: Target = { kind: 'plain', url: `${fleet.plain.url}/v1/chat/completions`, pid: fleet.plain.pid }
  const passthrough = [direct('/v1/chat/completions'), plain, ...gateway('main', '/v1/chat/completions')]
  return [
    {
      id: 'openai-c1',
      title: 'passthrough OpenAI, non-stream',
      connections: 1,
      body: OPENAI_BODY,
      stream: false,
      expect: 'chat.completion',
      targets: passthrough,
    },
    {
      id: 'openai-c32',
      title: 'passthrough OpenAI, non-stream',
      connections: 32,
      body: OPENAI_BODY,
      stream: false,
      expect: 'chat.completion',
      targets: passthrough,
    },
    {
      id: 'openai-stream',
      title: 'passthrough OpenAI stream (20 chunks)',
      connections: 8,
      body: OPENAI_STREAM_BODY,
      stream: true,
      expect: '[DONE]',
      targets: passthrough,
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
      targets: [direct('/v1/messages'), ...gateway('main', '/claude-custom/v1/chat/completions')],
    },
    {
      id: 'local-echo',
      title: 'local-echo (no upstream), non-stream',
      connections: 32,
      body: OPENAI_BODY,
      stream: false,
      expect: 'hello',
      reference: 'openai-c32',
      targets: gateway('main', '/local-echo/v1/chat/completions'),
    },
    {
      id: 'routes-50',
      title: 'passthrough OpenAI, non-stream, chosen by the last of 50 MODEL_ROUTES',
      connections: 32,
      body: OPENAI_BODY,
      stream: false,
      expect: 'chat.completion',
      reference: 'openai-c32',
      targets: gateway('routes', '/v1/chat/completions'),
    },
    {
      id: 'pool-one-flaky',
      title: 'pool of 4, one member fails every 5th request',
      connections: 32,
      body: OPENAI_BODY,
      stream: false,
      expect: 'chat.completion',
      reference: 'openai-c32',
      segments: ['m1', 'm2', 'm3', 'flaky'],
      targets: gateway('pool-one', '/v1/chat/completions'),
    },
    {
      id: 'pool-all-flaky',
      title: 'pool of 4, every member fails every 5th request',
      connections: 32,
      body: OPENAI_BODY,
      stream: false,
      expect: 'chat.completion',
      reference: 'openai-c32',
      segments: ['flaky1', 'flaky2', 'flaky3', 'flaky4'],
      targets: gateway('pool-all', '/v1/chat/completions'),
    },
  ]
}

/** The body and headers a target gets in a scenario. */
export function requestFor(scenario: Scenario, target: Target): { body: string; headers: Record<string, string> } {
  if (target.kind === 'direct' && scenario.directBody) return { body: scenario.directBody, headers: ANTHROPIC_HEADERS }
  return { body: scenario.body, headers: HEADERS }
}
