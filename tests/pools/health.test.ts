import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../src/errors/gateway-error.ts'
import type { Lease, PickResult, PoolsRuntime } from '../../src/pools/index.ts'
import { defaultConfig, fakeDefinition, makePools, memberError, poolsFileWith, type FakeBehaviour } from './helpers.ts'

function lease(result: PickResult): Lease {
  if ('error' in result) throw result.error
  return result.lease
}

/** Picks `uuid` by marking every other member tried. */
function on(pools: PoolsRuntime, uuid: string): Lease {
  const others = (pools.snapshot()['openai-custom'] ?? []).map((m) => m.uuid).filter((id) => id !== uuid)
  const picked = lease(pools.pick('openai-custom', { tried: new Set(others) }))
  expect(picked.member.uuid).toBe(uuid)
  return picked
}

function setUp(members: Array<Record<string, unknown>>, behaviour: FakeBehaviour = {}, config = defaultConfig()) {
  const definition = fakeDefinition('openai-custom', behaviour)
  const { path } = poolsFileWith({ 'openai-custom': members.map((m) => ({ OPENAI_API_KEY: `sk-${String(m.uuid)}-0123456789`, ...m })) })
  return { ...makePools({ definitions: { 'openai-custom': definition }, poolsFilePath: path, config }), definition }
}

const probedUuids = (outcomes: Array<{ uuid: string }>) => outcomes.map((o) => o.uuid).sort()

describe('which members a health pass probes', () => {
  test('members in doubt and idle ones; not those that served real traffic since the last pass', async () => {
    const { pools, clock } = setUp([
      { uuid: 'served' },
      { uuid: 'idle' },
      { uuid: 'failing' },
      { uuid: 'unchecked', checkHealth: false },
      { uuid: 'off', disabled: true },
      { uuid: 'resting' },
    ])
    clock.advance(1_000)
    const served = on(pools, 'served')
    served.succeeded(100)
    served.end()
    const failing = on(pools, 'failing')
    failing.succeeded(100)
    failing.failed(memberError(502, 'bad_gateway'))
    failing.end()
    const unchecked = on(pools, 'unchecked')
    unchecked.failed(memberError(502, 'bad_gateway'))
    unchecked.end()
    const resting = on(pools, 'resting')
    resting.succeeded(100)
    resting.failed(memberError(429, 'rate_limited', 120_000))
    resting.end()
    clock.advance(1_000)

    expect(probedUuids(await pools.runHealthPass())).toEqual(['failing', 'idle', 'resting'])
    clock.advance(600_000)
    // Nothing served since the previous pass: everyone checkable is idle now.
    expect(probedUuids(await pools.runHealthPass())).toEqual(['failing', 'idle', 'resting', 'served'])
  })

  test('members with checkHealth false are never probed, but an open breaker lets them back for one trial request', async () => {
    const { pools, definition } = setUp([{ uuid: 'unchecked', checkHealth: false }, { uuid: 'other' }])
    for (let i = 0; i < 3; i++) {
      const attempt = on(pools, 'unchecked')
      attempt.failed(memberError(502, 'bad_gateway'))
      attempt.end()
    }
    expect(pools.snapshot()['openai-custom']?.[0]?.breaker).toBe('open')
    await pools.runHealthPass()
    expect(definition.clients[0]?.probes).toEqual([])
    expect(pools.snapshot()['openai-custom']?.[0]?.breaker).toBe('half-open')
    const trial = on(pools, 'unchecked')
    trial.failed(memberError(502, 'bad_gateway'))
    trial.end()
    expect(pools.snapshot()['openai-custom']?.[0]?.breaker).toBe('open')
  })

  test('probes use the member’s checkModelName', async () => {
    const { pools, definition } = setUp([{ uuid: 'a', checkModelName: 'gpt-4o-mini' }, { uuid: 'b' }])
    await pools.runHealthPass()
    expect(definition.clients.map((c) => c.probes)).toEqual([['gpt-4o-mini'], [undefined]])
  })

  test('at most four probes run at a time', async () => {
    let active = 0
    let highest = 0
    let release: () => void = () => undefined
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const { pools } = setUp(
      Array.from({ length: 10 }, (_, i) => ({ uuid: `m${i}` })),
      {
        probe: async () => {
          active++
          highest = Math.max(highest, active)
          await gate
          active--
        },
      },
    )
    const pass = pools.runHealthPass()
    for (let i = 0; i < 20 && active < 4; i++) await Promise.resolve()
    expect(active).toBe(4)
    release()
    const outcomes = await pass
    expect(outcomes).toHaveLength(10)
    expect(highest).toBe(4)
  })

  test('a pass already running is shared, not started twice', async () => {
    const { pools, definition } = setUp([{ uuid: 'a' }])
    const [first, second] = await Promise.all([pools.runHealthPass(), pools.runHealthPass()])
    expect(first).toBe(second)
    expect(definition.clients[0]?.probes).toHaveLength(1)
  })
})

describe('probe outcomes', () => {
  test('success brings an open breaker to half-open and ends a cooldown', async () => {
    const { pools } = setUp([{ uuid: 'broken' }, { uuid: 'resting' }, { uuid: 'other' }])
    for (let i = 0; i < 3; i++) {
      const attempt = on(pools, 'broken')
      attempt.failed(memberError(500, 'upstream_error'))
      attempt.end()
    }
    const limited = on(pools, 'resting')
    limited.failed(memberError(429, 'quota_exhausted', 86_400_000))
    limited.end()
    await pools.runHealthPass()
    const [broken, resting] = pools.snapshot()['openai-custom'] ?? []
    expect(broken?.breaker).toBe('half-open')
    expect(broken?.lastCheck).not.toBeNull()
    expect(resting?.cooldownUntil).toBeNull()
  })

  test('failures count toward the breaker; a rate-limited probe cools the member down', async () => {
    let answer: GatewayError | undefined = memberError(503, 'unavailable')
    const { pools, clock } = setUp([{ uuid: 'a' }, { uuid: 'b' }], {
      probe: (client) => {
        if (client.config.OPENAI_API_KEY === 'sk-a-0123456789' && answer !== undefined) throw answer
      },
    })
    for (let i = 0; i < 3; i++) await pools.runHealthPass()
    expect(pools.snapshot()['openai-custom']?.[0]?.breaker).toBe('open')
    expect(pools.snapshot()['openai-custom']?.[0]?.lastError).toContain('503 unavailable')
    answer = memberError(429, 'rate_limited', 30_000)
    await pools.runHealthPass()
    expect(pools.snapshot()['openai-custom']?.[0]?.cooldownUntil).toBe(new Date(clock.time + 30_000).toISOString())
    answer = undefined
    await pools.runHealthPass()
    expect(pools.snapshot()['openai-custom']?.[0]?.breaker).toBe('half-open')
  })

  test('a probe that never answers is abandoned at HEALTH_CHECK_TIMEOUT_MS and counts as a failure', async () => {
    let seenSignal: AbortSignal | undefined
    const definition = fakeDefinition('openai-custom')
    definition.create = () => ({
      chat: () => Promise.reject(new Error('unused')),
      listModels: () => Promise.resolve([]),
      probe: (_model, signal) => {
        seenSignal = signal
        return new Promise<void>(() => undefined)
      },
    })
    const { path } = poolsFileWith({ 'openai-custom': [{ uuid: 'hangs' }] })
    const { pools } = makePools({
      definitions: { 'openai-custom': definition },
      poolsFilePath: path,
      config: defaultConfig({ HEALTH_CHECK_TIMEOUT_MS: 20 }),
    })
    const [outcome] = await pools.runHealthPass()
    expect(outcome?.ok).toBe(false)
    expect(seenSignal?.aborted).toBe(true)
    const member = pools.snapshot()['openai-custom']?.[0]
    expect(member?.lastError).toContain('health probe got no answer within 20 ms')
    // Counted: not healthy until it recovers, yet a lone member stays in rotation.
    expect([member?.healthy, member?.consecutiveFailures, member?.inRotation]).toEqual([false, 1, true])
  })

  test('a probe the upstream refuses as a bad request says nothing about the member', async () => {
    const { pools, lines } = setUp([{ uuid: 'a', checkModelName: 'no-such-model' }], {
      probe: () => {
        throw new GatewayError(404, 'not_found', 'model no-such-model not found', { scope: 'request' })
      },
    })
    for (let i = 0; i < 5; i++) await pools.runHealthPass()
    const member = pools.snapshot()['openai-custom']?.[0]
    expect(member?.breaker).toBe('closed')
    expect(member?.lastError).toContain('404 not_found')
    expect(lines.some((line) => line.includes('check its checkModelName'))).toBe(true)
  })

  test('a probe that throws something unexpected counts against the member', async () => {
    const { pools } = setUp([{ uuid: 'a' }], {
      probe: () => {
        throw new TypeError('cannot read properties of undefined')
      },
    })
    await pools.runHealthPass()
    expect(pools.snapshot()['openai-custom']?.[0]?.lastError).toContain('502 bad_gateway')
  })
})

describe('schedule', () => {
  test('start() schedules the health pass on HEALTH_CHECK_CRON and stop() cancels it', async () => {
    const { pools, scheduler, definition } = setUp([{ uuid: 'a' }], {}, defaultConfig({ HEALTH_CHECK_CRON: '*/30 * * * * *' }))
    pools.start()
    expect(scheduler.crons.map((job) => job.pattern)).toEqual(['*/30 * * * * *'])
    await scheduler.crons[0]?.run()
    expect(definition.clients[0]?.probes).toHaveLength(1)
    await pools.stop()
    expect(scheduler.crons[0]?.cancelled).toBe(true)
  })
})
