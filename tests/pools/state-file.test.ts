import { describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { GatewayError } from '../../src/errors/gateway-error.ts'
import { statePathFor, type Lease, type PickResult } from '../../src/pools/index.ts'
import { MAX_HINTED_RETRY_MS } from '../../src/errors/gateway-error.ts'
import { STATE_SAVE_DELAY_MS } from '../../src/pools/state-file.ts'
import { defaultConfig, fakeDefinition, makePools, memberError, poolsFileWith } from './helpers.ts'

const KEY_A = 'sk-live-aaaaaaaaaaaaaaaaaaaa'
const KEY_B = 'sk-live-bbbbbbbbbbbbbbbbbbbb'
const POOLS = {
  'openai-custom': [
    { uuid: 'a', OPENAI_API_KEY: KEY_A, OPENAI_BASE_URL: 'https://a.example.test/v1', weight: 2, isHealthy: true, usageCount: 4 },
    { uuid: 'b', OPENAI_API_KEY: KEY_B },
  ],
}

function lease(result: PickResult): Lease {
  if ('error' in result) throw result.error
  return result.lease
}

function setUp(content: unknown = POOLS) {
  const { path, dir } = poolsFileWith(content)
  const definitions = { 'openai-custom': fakeDefinition('openai-custom', { requiredKey: 'OPENAI_API_KEY' }) }
  const start = (time?: number) => {
    const harness = makePools({ definitions, poolsFilePath: path })
    if (time !== undefined) harness.clock.time = time
    return harness
  }
  return { path, dir, start }
}

describe('state file', () => {
  test('is named after the pools file', () => {
    expect(statePathFor('/x/provider_pools.json')).toBe('/x/provider_pools.state.json')
    expect(statePathFor('/x/pools')).toBe('/x/pools.state.json')
  })

  test('is written once per burst of changes, from a timer, never on the request path', () => {
    const { path, start } = setUp()
    const { pools, scheduler } = start()
    for (let i = 0; i < 5; i++) lease(pools.pick('openai-custom', { tried: new Set() })).end()
    expect(existsSync(statePathFor(path))).toBe(false)
    expect(scheduler.pendingTimeouts().map((job) => job.ms)).toEqual([STATE_SAVE_DELAY_MS])
    scheduler.fireTimeouts()
    const saved = JSON.parse(readFileSync(statePathFor(path), 'utf8'))
    expect(saved.members['openai-custom'].a.requests + saved.members['openai-custom'].b.requests).toBe(5)
  })

  test('is written atomically with owner-only permissions, leaving no temp files', () => {
    const { path, dir, start } = setUp()
    const { pools } = start()
    lease(pools.pick('openai-custom', { tried: new Set() })).end()
    pools.flushState()
    expect(statSync(statePathFor(path)).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir).sort()).toEqual(['provider_pools.json', 'provider_pools.state.json'])
  })

  test('holds no secret and no config value, even when an upstream error quoted the key', () => {
    const { path, start } = setUp()
    const { pools } = start()
    const picked = lease(pools.pick('openai-custom', { tried: new Set(['b']) }))
    picked.failed(new GatewayError(401, 'authentication', `Incorrect API key provided: ${KEY_A}`, { scope: 'member' }))
    picked.end()
    pools.flushState()
    const text = readFileSync(statePathFor(path), 'utf8')
    expect(text).not.toContain(KEY_A)
    expect(text).not.toContain(KEY_B)
    expect(text).not.toContain('a.example.test')
    expect(text).toContain('Incorrect API key provided: [redacted]')
    expect(JSON.stringify(pools.snapshot())).not.toContain(KEY_A)
  })

  test('is reloaded at startup', () => {
    const { start } = setUp()
    const first = start()
    for (let i = 0; i < 3; i++) {
      const picked = lease(first.pools.pick('openai-custom', { tried: new Set(['b']) }))
      picked.failed(memberError(502, 'bad_gateway'))
      picked.end()
    }
    const served = lease(first.pools.pick('openai-custom', { tried: new Set(['a']) }))
    served.succeeded(240)
    served.failed(memberError(429, 'rate_limited', 600_000))
    served.end()
    const before = first.pools.snapshot()
    void first.pools.stop()

    const second = start(first.clock.time + 1_000)
    expect(second.pools.snapshot()).toEqual(before)
    const [a, b] = second.pools.snapshot()['openai-custom'] ?? []
    expect(a).toMatchObject({ breaker: 'open', failures: 3, requests: 3 })
    expect(b).toMatchObject({ latencyMs: 240, requests: 1, inFlight: 0 })
    expect(b?.cooldownUntil).not.toBeNull()
  })

  test('a saved rest is reloaded for an hour at most, with its cause', () => {
    const { path, start } = setUp()
    const first = start()
    lease(first.pools.pick('openai-custom', { tried: new Set(['b']) })).end()
    first.pools.flushState()
    const saved = JSON.parse(readFileSync(statePathFor(path), 'utf8'))
    for (const uuid of ['a', 'b'])
      Object.assign(saved.members['openai-custom'][uuid], { cooldownUntil: '2030-01-01T00:00:00.000Z', cooldownCause: 'rate_limited' })
    writeFileSync(statePathFor(path), JSON.stringify(saved))
    void first.pools.stop()

    const second = start()
    const [a] = second.pools.snapshot()['openai-custom'] ?? []
    expect(a?.cooldownUntil).toBe(new Date(second.clock.time + MAX_HINTED_RETRY_MS).toISOString())
    const picked = second.pools.pick('openai-custom', { tried: new Set() })
    expect('error' in picked && picked.error.message).toBe('all 2 openai-custom members are rate-limited by the upstream; retry in 3600 s')
  })

  test('an unreadable state file is ignored with a warning', () => {
    const { path, start } = setUp()
    writeFileSync(statePathFor(path), '{ not json')
    const { pools, lines } = start()
    expect(pools.snapshot()['openai-custom']?.[0]?.requests).toBe(0)
    expect(lines.some((line) => line.includes('ignoring state file'))).toBe(true)
  })

  test('the pools file is byte-for-byte unchanged after a run', async () => {
    const original = `${JSON.stringify(POOLS, null, 4)}\n\n`
    const { path, start } = setUp(original)
    const { pools, scheduler } = start()
    pools.start()
    for (let i = 0; i < 20; i++) {
      const picked = lease(pools.pick('openai-custom', { tried: new Set() }))
      if (i % 3 === 0) picked.failed(memberError(500, 'upstream_error'))
      else picked.succeeded(100 + i)
      picked.end()
    }
    await pools.runHealthPass()
    scheduler.fireTimeouts()
    await pools.stop()
    expect(readFileSync(path, 'utf8')).toBe(original)
  })

  test('without a pools file there is no state file and no timer', () => {
    const definition = fakeDefinition('openai-custom', { requiredKey: 'OPENAI_API_KEY' })
    const { pools, scheduler } = makePools({
      definitions: { 'openai-custom': definition },
      providers: ['openai-custom'],
      config: defaultConfig({ OPENAI_API_KEY: KEY_A }),
    })
    lease(pools.pick('openai-custom', { tried: new Set() })).end()
    expect(scheduler.pendingTimeouts()).toEqual([])
  })

  test('stop() writes pending state', async () => {
    const { path, dir, start } = setUp()
    const { pools } = start()
    lease(pools.pick('openai-custom', { tried: new Set() })).end()
    await pools.stop()
    expect(existsSync(join(dir, 'provider_pools.state.json'))).toBe(true)
    expect(statePathFor(path)).toBe(join(dir, 'provider_pools.state.json'))
  })
})

describe('state file write failures', () => {
  test('are logged once per outage and never thrown', () => {
    const { path, dir, start } = setUp()
    const { pools, lines } = start()
    mkdirSync(statePathFor(path))
    for (let i = 0; i < 3; i++) {
      lease(pools.pick('openai-custom', { tried: new Set() })).end()
      pools.flushState()
    }
    expect(lines.filter((line) => line.includes('cannot write state file'))).toHaveLength(1)
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })
})
