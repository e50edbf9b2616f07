import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../src/errors/gateway-error.ts'
import type { Lease, PickResult, PoolsRuntime } from '../../src/pools/index.ts'
import { fakeDefinition, makePools, memberError, poolsFileWith } from './helpers.ts'

function lease(result: PickResult): Lease {
  if ('error' in result) throw result.error
  return result.lease
}

function pickMany(pools: PoolsRuntime, times: number, options: { tried?: string[]; sessionKey?: string } = {}): Record<string, number> {
  const counts: Record<string, number> = {}
  for (let i = 0; i < times; i++) {
    const picked = lease(
      pools.pick('openai-custom', {
        tried: new Set(options.tried ?? []),
        ...(options.sessionKey === undefined ? {} : { sessionKey: options.sessionKey }),
      }),
    )
    counts[picked.member.uuid] = (counts[picked.member.uuid] ?? 0) + 1
    picked.end()
  }
  return counts
}

function poolOf(members: Array<Record<string, unknown>>) {
  const definition = fakeDefinition('openai-custom', { requiredKey: 'OPENAI_API_KEY' })
  const { path } = poolsFileWith({ 'openai-custom': members.map((m) => ({ OPENAI_API_KEY: `sk-${String(m.uuid)}-0123456789`, ...m })) })
  return { ...makePools({ definitions: { 'openai-custom': definition }, poolsFilePath: path }), definition }
}

function fail(pools: PoolsRuntime, uuid: string, times: number, error = memberError(502, 'bad_gateway')) {
  for (let i = 0; i < times; i++) {
    const others = ['a', 'b', 'c', 'd'].filter((id) => id !== uuid)
    const picked = lease(pools.pick('openai-custom', { tried: new Set(others) }))
    expect(picked.member.uuid).toBe(uuid)
    picked.failed(error)
    picked.end()
  }
}

describe('availability', () => {
  test('members with an open breaker, disabled or cooling down get no traffic', () => {
    const { pools } = poolOf([{ uuid: 'a' }, { uuid: 'b', disabled: true }, { uuid: 'c' }, { uuid: 'd' }])
    fail(pools, 'a', 3)
    fail(pools, 'c', 1, memberError(429, 'rate_limited', 60_000))
    expect(pickMany(pools, 300)).toEqual({ d: 300 })
    const snapshot = pools.snapshot()['openai-custom'] ?? []
    expect(snapshot.map((m) => [m.uuid, m.breaker, m.disabled, m.cooldownUntil !== null])).toEqual([
      ['a', 'open', false, false],
      ['b', 'closed', true, false],
      ['c', 'closed', false, true],
      ['d', 'closed', false, false],
    ])
  })

  test('a lone member is never taken out of rotation by its breaker', () => {
    const { pools } = poolOf([{ uuid: 'a' }])
    fail(pools, 'a', 10)
    expect(pools.snapshot()['openai-custom']?.[0]?.breaker).toBe('open')
    expect(pickMany(pools, 5)).toEqual({ a: 5 })
  })

  test('when every breaker is open the breakers are ignored rather than refusing everything', () => {
    const { pools } = poolOf([{ uuid: 'a' }, { uuid: 'b' }])
    fail(pools, 'a', 3)
    fail(pools, 'b', 3)
    const counts = pickMany(pools, 100)
    expect((counts.a ?? 0) + (counts.b ?? 0)).toBe(100)
  })

  test('a half-open member gets traffic back one request at a time until a success closes it', async () => {
    const { pools } = poolOf([{ uuid: 'a' }, { uuid: 'b' }])
    fail(pools, 'a', 3)
    await pools.runHealthPass()
    expect(pools.snapshot()['openai-custom']?.[0]?.breaker).toBe('half-open')
    const trial = lease(pools.pick('openai-custom', { tried: new Set(['b']) }))
    expect(trial.member.uuid).toBe('a')
    expect(pickMany(pools, 100)).toEqual({ b: 100 })
    trial.succeeded(100)
    trial.end()
    expect(pools.snapshot()['openai-custom']?.[0]?.breaker).toBe('closed')
    const peer = lease(pools.pick('openai-custom', { tried: new Set(['a']) }))
    peer.succeeded(100)
    peer.end()
    expect(pickMany(pools, 200).a).toBeGreaterThan(50)
  })

  test('request-scope errors never count against a member', () => {
    const { pools } = poolOf([{ uuid: 'a' }, { uuid: 'b' }])
    for (let i = 0; i < 10; i++) {
      const picked = lease(pools.pick('openai-custom', { tried: new Set(['b']) }))
      picked.failed(new GatewayError(400, 'invalid_request', 'messages must not be empty'))
      picked.end()
    }
    const a = pools.snapshot()['openai-custom']?.[0]
    expect(a?.failures).toBe(0)
    expect(a?.breaker).toBe('closed')
  })
})

describe('cooldown', () => {
  test('when every member rests: 503 unavailable with the earliest cooldown end as Retry-After', () => {
    const { pools, clock } = poolOf([{ uuid: 'a' }, { uuid: 'b' }])
    fail(pools, 'a', 1, memberError(429, 'rate_limited', 30_000))
    fail(pools, 'b', 1, memberError(429, 'quota_exhausted', 90_000))
    clock.advance(5_000)
    const result = pools.pick('openai-custom', { tried: new Set() })
    if (!('error' in result)) throw new Error('expected an error')
    expect(result.error.status).toBe(503)
    expect(result.error.kind).toBe('unavailable')
    expect(result.error.retryAfterMs).toBe(25_000)
    expect(result.error.message).toContain('openai-custom')
    expect(result.error.message).toContain('resting: 1 rate-limited, 1 out of quota')
    clock.advance(25_000)
    expect(pickMany(pools, 10)).toEqual({ a: 10 })
  })

  test.each([
    ['rate limit', memberError(429, 'rate_limited', 2_000), 'the only openai-custom member is rate-limited by the upstream; retry in 2 s'],
    ['exhausted quota', memberError(429, 'quota_exhausted', 2_000), 'the only openai-custom member is out of quota; retry in 2 s'],
    [
      '5xx with a retry hint',
      memberError(503, 'upstream_error', 2_000),
      'the only openai-custom member is resting after upstream server errors (5xx); retry in 2 s',
    ],
  ])('the 503 says why the members rest: %s', (_cause, error, message) => {
    const { pools } = poolOf([{ uuid: 'a' }])
    fail(pools, 'a', 1, error)
    const result = pools.pick('openai-custom', { tried: new Set() })
    expect('error' in result && result.error.message).toBe(message)
  })

  test('a lone member’s Retry-After applies too', () => {
    const { pools, clock } = poolOf([{ uuid: 'a' }])
    fail(pools, 'a', 1, memberError(429, 'rate_limited', 2_000))
    const result = pools.pick('openai-custom', { tried: new Set() })
    expect('error' in result && result.error.retryAfterMs).toBe(2_000)
    expect('error' in result && result.error.message).toContain('the only openai-custom member')
    clock.advance(2_000)
    expect(pickMany(pools, 1)).toEqual({ a: 1 })
  })
})

describe('tried members', () => {
  test('members already tried are avoided while others are available', () => {
    const { pools } = poolOf([{ uuid: 'a' }, { uuid: 'b' }, { uuid: 'c' }])
    const counts = pickMany(pools, 200, { tried: ['a', 'b'] })
    expect(counts).toEqual({ c: 200 })
    const picked = lease(pools.pick('openai-custom', { tried: new Set(['a']) }))
    expect(picked.retryOfSame).toBe(false)
  })

  test('when all were tried, one of them again, flagged retryOfSame', () => {
    const { pools } = poolOf([{ uuid: 'a' }, { uuid: 'b' }])
    const picked = lease(pools.pick('openai-custom', { tried: new Set(['a', 'b']) }))
    expect(['a', 'b']).toContain(picked.member.uuid)
    expect(picked.retryOfSame).toBe(true)
  })
})

describe('sticky sessions', () => {
  test('a session returns to the member that served it last while it is available', () => {
    const { pools } = poolOf([{ uuid: 'a' }, { uuid: 'b' }, { uuid: 'c' }])
    const first = lease(pools.pick('openai-custom', { tried: new Set(), sessionKey: 'chat-1' }))
    first.succeeded(100)
    first.end()
    const served = first.member.uuid
    expect(pickMany(pools, 50, { sessionKey: 'chat-1' })).toEqual({ [served]: 50 })
  })

  test('the session moves when its member is tried, cooling down or disabled, and follows the new one', () => {
    const { pools } = poolOf([{ uuid: 'a' }, { uuid: 'b' }])
    const first = lease(pools.pick('openai-custom', { tried: new Set(['b']), sessionKey: 's' }))
    first.succeeded(100)
    first.end()
    expect(pickMany(pools, 10, { sessionKey: 's', tried: ['a'] })).toEqual({ b: 10 })
    fail(pools, 'a', 1, memberError(429, 'rate_limited', 60_000))
    const moved = lease(pools.pick('openai-custom', { tried: new Set(), sessionKey: 's' }))
    expect(moved.member.uuid).toBe('b')
    moved.succeeded(100)
    moved.end()
    expect(pickMany(pools, 10, { sessionKey: 's' })).toEqual({ b: 10 })
  })

  test('sessions expire after an hour', () => {
    const { pools, clock } = poolOf([{ uuid: 'a' }, { uuid: 'b' }])
    const first = lease(pools.pick('openai-custom', { tried: new Set(['b']), sessionKey: 's' }))
    first.succeeded(100)
    first.end()
    clock.advance(3_600_001)
    const counts = pickMany(pools, 60, { sessionKey: 's' })
    expect(counts.a).toBeGreaterThan(0)
    expect(counts.b).toBeGreaterThan(0)
  })
})

describe('leases', () => {
  test('each outcome counts once however often it is reported; in-flight slots are released once', () => {
    const { pools } = poolOf([{ uuid: 'a' }])
    const picked = lease(pools.pick('openai-custom', { tried: new Set() }))
    expect(pools.snapshot()['openai-custom']?.[0]?.inFlight).toBe(1)
    picked.failed(memberError(502, 'bad_gateway'))
    picked.failed(memberError(502, 'bad_gateway'))
    picked.end()
    picked.end()
    const a = pools.snapshot()['openai-custom']?.[0]
    expect(a?.inFlight).toBe(0)
    expect(a?.failures).toBe(1)
    expect(a?.requests).toBe(1)
  })

  test('a failure after the first byte still counts against the member', () => {
    const { pools } = poolOf([{ uuid: 'a' }])
    const picked = lease(pools.pick('openai-custom', { tried: new Set() }))
    picked.succeeded(120)
    picked.failed(memberError(502, 'bad_gateway'))
    picked.end()
    const a = pools.snapshot()['openai-custom']?.[0]
    expect(a?.latencyMs).toBe(120)
    expect(a?.failures).toBe(1)
    expect(a?.lastError).toContain('502 bad_gateway')
  })
})
