import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../src/errors/gateway-error.ts'
import { createPools, PoolsError, PoolsFileError, type Lease, type PickResult } from '../../src/pools/index.ts'
import { createLogger } from '../../src/log.ts'
import { defaultConfig, fakeDefinition, makePools, memberError, poolsFileWith } from './helpers.ts'

function lease(result: PickResult): Lease {
  if ('error' in result) throw result.error
  return result.lease
}

function errorOf(result: PickResult): GatewayError {
  if (!('error' in result)) throw new Error('expected an error')
  return result.error
}

const KEY = 'sk-top-level-0123456789'

describe('without a pools file', () => {
  test('a configured provider is a pool of one member named default, built from the top-level config', () => {
    const definition = fakeDefinition('openai-custom', { requiredKey: 'OPENAI_API_KEY' })
    const { pools } = makePools({
      definitions: { 'openai-custom': definition },
      providers: ['openai-custom'],
      config: defaultConfig({ OPENAI_API_KEY: KEY }),
    })
    expect(pools.sizes()).toEqual({ 'openai-custom': 1 })
    expect(pools.isConfigured('openai-custom')).toBe(true)
    const picked = lease(pools.pick('openai-custom', { tried: new Set() }))
    expect(picked.member.uuid).toBe('default')
    expect(picked.member.config.OPENAI_API_KEY).toBe(KEY)
    expect(definition.clients).toHaveLength(1)
  })

  test('an unconfigured provider answers 503 with the definition’s message', () => {
    const { pools } = makePools({
      definitions: { 'openai-custom': fakeDefinition('openai-custom', { requiredKey: 'OPENAI_API_KEY' }) },
      providers: ['openai-custom'],
    })
    expect(pools.isConfigured('openai-custom')).toBe(false)
    expect(pools.sizes()).toEqual({})
    const error = errorOf(pools.pick('openai-custom', { tried: new Set() }))
    expect(error.status).toBe(503)
    expect(error.kind).toBe('unavailable')
    expect(error.message).toBe('provider openai-custom is not configured: set OPENAI_API_KEY')
  })

  test('a provider unconfigured at startup is set up once its credentials appear', () => {
    let credentials = false
    const definition = { ...fakeDefinition('gemini-cli-oauth'), notConfigured: () => (credentials ? undefined : 'run gemini auth') }
    const { pools } = makePools({ definitions: { 'gemini-cli-oauth': definition }, providers: ['gemini-cli-oauth'] })
    expect(errorOf(pools.pick('gemini-cli-oauth', { tried: new Set() })).message).toContain('run gemini auth')
    credentials = true
    expect(pools.isConfigured('gemini-cli-oauth')).toBe(true)
    expect(lease(pools.pick('gemini-cli-oauth', { tried: new Set() })).member.uuid).toBe('default')
  })

  test('a provider not listed at startup is set up on first use when its credentials are there', () => {
    const echo = fakeDefinition('local-echo')
    const { pools } = makePools({ definitions: { 'local-echo': echo, 'claude-custom': fakeDefinition('claude-custom', { requiredKey: 'CLAUDE_API_KEY' }) } })
    expect(pools.sizes()).toEqual({})
    expect(pools.isConfigured('local-echo')).toBe(true)
    expect(lease(pools.pick('local-echo', { tried: new Set() })).member.uuid).toBe('default')
    expect(pools.sizes()).toEqual({ 'local-echo': 1 })
    expect(errorOf(pools.pick('claude-custom', { tried: new Set() })).message).toContain('set CLAUDE_API_KEY')
    expect(errorOf(pools.pick('openai-qwen-oauth', { tried: new Set() })).message).toContain('not available in this build')
  })
})

describe('with a pools file', () => {
  test('providers with entries use them; listed providers without entries use the top-level credentials', () => {
    const { path } = poolsFileWith({
      'openai-custom': [
        { uuid: 'one', OPENAI_API_KEY: 'sk-one-0123456789' },
        { uuid: 'two', OPENAI_API_KEY: 'sk-two-0123456789' },
      ],
    })
    const { pools } = makePools({
      definitions: { 'openai-custom': fakeDefinition('openai-custom'), 'local-echo': fakeDefinition('local-echo') },
      providers: ['local-echo'],
      poolsFilePath: path,
    })
    expect(pools.sizes()).toEqual({ 'local-echo': 1, 'openai-custom': 2 })
  })

  test('an invalid pools file fails startup with a PoolsFileError', () => {
    const { path } = poolsFileWith({ 'openai-custom': [{ uuid: 'x' }] })
    expect(() =>
      makePools({ definitions: { 'openai-custom': fakeDefinition('openai-custom', { requiredKey: 'OPENAI_API_KEY' }) }, poolsFilePath: path }),
    ).toThrow(PoolsFileError)
  })

  test('snapshot: per-member state only, no config values', () => {
    const { path } = poolsFileWith({
      'openai-custom': [{ uuid: 'one', OPENAI_API_KEY: 'sk-one-0123456789', OPENAI_BASE_URL: 'https://private.example.test/v1', weight: 2 }],
    })
    const { pools, clock } = makePools({ definitions: { 'openai-custom': fakeDefinition('openai-custom') }, poolsFilePath: path })
    const picked = lease(pools.pick('openai-custom', { tried: new Set() }))
    picked.succeeded(321.4)
    picked.failed(new GatewayError(429, 'rate_limited', 'slow down, sk-one-0123456789', { scope: 'member', retryAfterMs: 10_000 }))
    const snapshot = pools.snapshot()
    expect(snapshot).toEqual({
      'openai-custom': [
        {
          uuid: 'one',
          healthy: true,
          // Resting after the 429: no new requests until the cooldown ends.
          inRotation: false,
          trafficShare: 0,
          breaker: 'closed',
          consecutiveFailures: 0,
          disabled: false,
          weight: 2,
          latencyMs: 321,
          inFlight: 1,
          requests: 1,
          failures: 1,
          lastError: '429 rate_limited: slow down, [redacted]',
          lastCheck: null,
          cooldownUntil: new Date(clock.time + 10_000).toISOString(),
          maxConcurrent: null,
          queued: 0,
        },
      ],
    })
    const text = JSON.stringify(snapshot)
    expect(text).not.toContain('sk-one')
    expect(text).not.toContain('private.example.test')
  })
})

describe('/pools tells the truth about rotation', () => {
  test('a member that failed is unhealthy and out of rotation while a peer serves, until a probe brings it back', async () => {
    const { path } = poolsFileWith({ 'openai-custom': [{ uuid: 'a' }, { uuid: 'b' }] })
    const { pools } = makePools({ definitions: { 'openai-custom': fakeDefinition('openai-custom') }, poolsFilePath: path })
    const view = () => Object.fromEntries((pools.snapshot()['openai-custom'] ?? []).map((m) => [m.uuid, [m.healthy, m.inRotation, m.trafficShare]]))
    expect(view()).toEqual({ a: [true, true, 0.5], b: [true, true, 0.5] })

    const first = lease(pools.pick('openai-custom', { tried: new Set() }))
    first.failed(memberError(500, 'upstream_error'))
    first.end()
    const failed = first.member.uuid
    const peer = failed === 'a' ? 'b' : 'a'
    // One failure: the breaker is still closed, but the penalty leaves it (almost) no traffic.
    expect(pools.snapshot()['openai-custom']?.find((m) => m.uuid === failed)?.breaker).toBe('closed')
    expect(view()).toEqual({ [failed]: [false, false, 0], [peer]: [true, true, 1] })

    await pools.runHealthPass()
    expect(view()).toEqual({ a: [true, true, 0.5], b: [true, true, 0.5] })
  })
})

describe('lifecycle', () => {
  test('stop() closes clients and later picks are refused', async () => {
    const definition = fakeDefinition('local-echo')
    const { pools } = makePools({ definitions: { 'local-echo': definition }, providers: ['local-echo'] })
    pools.start()
    await pools.stop()
    expect(definition.clients[0]?.closed).toBe(true)
    expect(errorOf(pools.pick('local-echo', { tried: new Set() })).message).toContain('shutting down')
  })

  test('a bad HEALTH_CHECK_CRON is refused up front', () => {
    const log = createLogger({ level: 'silent' })
    expect(() =>
      createPools({
        config: defaultConfig({ HEALTH_CHECK_CRON: 'every ten minutes' }),
        definitions: {},
        deps: { log, now: Date.now, fetch },
        providers: [],
      }),
    ).toThrow(PoolsError)
  })
})

describe('background token refresh', () => {
  test('runs at start and on every CRON_NEAR_MINUTES tick, on every enabled member; failures are logged', async () => {
    const definition = fakeDefinition('openai-custom', {
      refreshIfNear: (client) => {
        if (client.config.OPENAI_API_KEY === 'sk-two-0123456789') throw new Error('refresh token revoked')
      },
    })
    const { path } = poolsFileWith({
      'openai-custom': [
        { uuid: 'one', OPENAI_API_KEY: 'sk-one-0123456789' },
        { uuid: 'two', OPENAI_API_KEY: 'sk-two-0123456789' },
        { uuid: 'off', OPENAI_API_KEY: 'sk-off-0123456789', disabled: true },
      ],
    })
    const { pools, scheduler, lines } = makePools({
      definitions: { 'openai-custom': definition },
      poolsFilePath: path,
      config: defaultConfig({ CRON_REFRESH_TOKEN: true, CRON_NEAR_MINUTES: 20 }),
    })
    pools.start()
    const refreshJob = scheduler.intervals.find((job) => job.ms === 20 * 60_000)
    expect(refreshJob).toBeDefined()
    await refreshJob?.run()
    expect(definition.clients.map((c) => c.refreshes)).toEqual([
      [1_200_000, 1_200_000],
      [1_200_000, 1_200_000],
    ])
    expect(lines.filter((line) => line.includes('token refresh of openai-custom member two failed: refresh token revoked'))).toHaveLength(2)
    await pools.stop()
  })

  test('is not scheduled when CRON_REFRESH_TOKEN is false', () => {
    const { pools, scheduler } = makePools({ definitions: { 'local-echo': fakeDefinition('local-echo') }, providers: ['local-echo'] })
    pools.start()
    expect(scheduler.intervals).toEqual([])
  })
})
