// Test doubles for pools: a settable clock, a scheduler driven by hand, fake provider
// definitions whose clients record what was asked of them, and a default config.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { KEYS, type AppConfig, type ConfigKey, type KeySpec } from '../../src/config/schema.ts'
import { GatewayError } from '../../src/errors/gateway-error.ts'
import { createLogger, type Logger } from '../../src/log.ts'
import { createPools, type PoolsOptions, type PoolsRuntime } from '../../src/pools/index.ts'
import type { Scheduler } from '../../src/pools/scheduler.ts'
import type { MemberConfig } from '../../src/config/schema.ts'
import type { ProviderClient, ProviderDefinition, ProviderId } from '../../src/providers/types.ts'
import { seededRandom } from '../helpers/chunks.ts'
import { tempDir } from '../helpers/temp-dir.ts'

export { seededRandom }

export function defaultConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const config: Record<string, unknown> = {}
  for (const [key, spec] of Object.entries(KEYS) as [ConfigKey, KeySpec][]) if (spec.default !== undefined) config[key] = spec.default
  return { ...(config as AppConfig), CRON_REFRESH_TOKEN: false, ...overrides }
}

export class Clock {
  constructor(public time = Date.parse('2026-01-01T00:00:00Z')) {}
  readonly now = () => this.time
  advance(ms: number): void {
    this.time += ms
  }
}

interface Job {
  run: () => unknown
  cancelled: boolean
}

/** Records every job; tests fire them explicitly. */
export class ManualScheduler implements Scheduler {
  readonly crons: Array<Job & { pattern: string }> = []
  readonly intervals: Array<Job & { ms: number }> = []
  readonly timeouts: Array<Job & { ms: number }> = []
  private timeoutWaiters: Array<() => void> = []

  cron(pattern: string, run: () => Promise<unknown>) {
    const job = { pattern, run, cancelled: false }
    this.crons.push(job)
    return () => {
      job.cancelled = true
    }
  }

  every(ms: number, run: () => Promise<unknown> | undefined) {
    const job = { ms, run, cancelled: false }
    this.intervals.push(job)
    return () => {
      job.cancelled = true
    }
  }

  after(ms: number, run: () => void) {
    const job = { ms, run, cancelled: false }
    this.timeouts.push(job)
    for (const wake of this.timeoutWaiters.splice(0)) wake()
    return () => {
      job.cancelled = true
    }
  }

  /** Timeouts not yet fired or cancelled. */
  pendingTimeouts(): Array<Job & { ms: number }> {
    return this.timeouts.filter((job) => !job.cancelled)
  }

  /** Fires every pending timeout once. */
  fireTimeouts(): number {
    const due = this.pendingTimeouts()
    for (const job of due) {
      job.cancelled = true
      job.run()
    }
    return due.length
  }

  /** Runs every live interval job once. */
  async tickIntervals(): Promise<void> {
    for (const job of this.intervals.filter((j) => !j.cancelled)) await job.run()
  }

  /** Resolves when a timeout is scheduled (an event, not a sleep); rejects after `limitMs`. */
  nextTimeout(limitMs = 5_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error('no timeout was scheduled')), limitMs)
      this.timeoutWaiters.push(() => {
        clearTimeout(guard)
        resolve()
      })
    })
  }
}

export interface FakeClient extends ProviderClient {
  config: MemberConfig
  closed: boolean
  probes: Array<string | undefined>
  refreshes: number[]
}

export interface FakeBehaviour {
  /** Config key the member must have, like an API key. */
  requiredKey?: ConfigKey
  /** Called for each probe; throw to fail. */
  probe?: (client: FakeClient) => Promise<void> | void
  refreshIfNear?: (client: FakeClient, withinMs: number) => Promise<void> | void
  /** Called on create; throw to refuse the config. */
  create?: (config: MemberConfig) => void
}

export interface FakeDefinition extends ProviderDefinition {
  clients: FakeClient[]
}

export function fakeDefinition(id: ProviderId, behaviour: FakeBehaviour = {}): FakeDefinition {
  const clients: FakeClient[] = []
  return {
    id,
    accepts: 'canonical',
    clients,
    notConfigured(config) {
      const key = behaviour.requiredKey
      if (key !== undefined && config[key] === undefined) return `set ${key}`
      return undefined
    },
    create(config) {
      behaviour.create?.(config)
      const client: FakeClient = {
        config,
        closed: false,
        probes: [],
        refreshes: [],
        chat: () => Promise.reject(new GatewayError(501, 'not_implemented', 'fake')),
        listModels: () => Promise.resolve([]),
        async probe(model) {
          client.probes.push(model)
          await behaviour.probe?.(client)
        },
        close() {
          client.closed = true
        },
      }
      if (behaviour.refreshIfNear !== undefined) {
        const refresh = behaviour.refreshIfNear
        client.refreshIfNear = async (withinMs) => {
          client.refreshes.push(withinMs)
          await refresh(client, withinMs)
        }
      }
      clients.push(client)
      return client
    },
  }
}

export interface Harness {
  pools: PoolsRuntime
  clock: Clock
  scheduler: ManualScheduler
  log: Logger
  lines: string[]
}

export function makePools(options: Partial<PoolsOptions> & { definitions: PoolsOptions['definitions'] }, seed = 7): Harness {
  const clock = new Clock()
  const scheduler = new ManualScheduler()
  const lines: string[] = []
  const log = createLogger({ level: 'debug', write: (_level, line) => lines.push(line) })
  const pools = createPools({
    config: defaultConfig(),
    deps: { log, now: clock.now, fetch },
    providers: [],
    random: seededRandom(seed),
    scheduler,
    ...options,
  })
  return { pools, clock, scheduler, log, lines }
}

/** A temporary folder holding `provider_pools.json` with `content`. */
export function poolsFileWith(content: unknown): { dir: string; path: string } {
  const dir = tempDir('pools-')
  const path = join(dir, 'provider_pools.json')
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2))
  return { dir, path }
}

export const memberError = (status: number, kind: GatewayError['kind'], retryAfterMs?: number) =>
  new GatewayError(status, kind, `upstream said ${status}`, retryAfterMs === undefined ? { scope: 'member' } : { scope: 'member', retryAfterMs })
