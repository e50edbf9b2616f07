import { describe, expect, test } from 'bun:test'
import {
  addLatencySample,
  chooseCandidate,
  currentLatency,
  FAILURE_PENALTY_MS,
  IDLE_DECAY_MS,
  selectionShares,
  type BalanceCandidate,
} from '../../src/pools/balance.ts'
import { fakeDefinition, makePools, poolsFileWith, seededRandom } from './helpers.ts'
import { shares, simulate, type Traffic } from './simulate.ts'

describe('PeakEWMA latency estimate', () => {
  test('the first sample is the estimate', () => {
    expect(addLatencySample(null, 250, 1_000)).toEqual({ ms: 250, at: 1_000 })
  })

  test('a sample above the estimate replaces it at once', () => {
    const slow = addLatencySample({ ms: 100, at: 0 }, 900, 50)
    expect(slow.ms).toBe(900)
  })

  test('a lower sample pulls the estimate down by the weight its elapsed time earns', () => {
    const after1s = addLatencySample({ ms: 1_000, at: 0 }, 100, 1_000)
    // 1 s of a 10 s time constant: about 10 % of the way toward the sample.
    expect(after1s.ms).toBeGreaterThan(850)
    expect(after1s.ms).toBeLessThan(950)
    const afterLongGap = addLatencySample({ ms: 1_000, at: 0 }, 100, 120_000)
    expect(afterLongGap.ms).toBeCloseTo(100, 1)
  })

  test('steady fast samples bring a peak back down within about a minute', () => {
    let estimate = addLatencySample(null, 2_000, 0)
    for (let t = 1_000; t <= 60_000; t += 1_000) estimate = addLatencySample(estimate, 100, t)
    expect(estimate.ms).toBeLessThan(110)
  })

  test('an estimate fades toward zero while the member gets no samples', () => {
    expect(currentLatency({ ms: 400, at: 0 }, 0)).toBe(400)
    expect(currentLatency({ ms: 400, at: 0 }, IDLE_DECAY_MS)).toBeCloseTo(400 / Math.E, 6)
  })
})

describe('selection shares', () => {
  const candidate = (weight: number, ms: number | null, extra: Partial<BalanceCandidate> = {}): BalanceCandidate => ({
    weight,
    latency: ms === null ? null : { ms, at: 0 },
    consecutiveFailures: 0,
    inFlight: 0,
    ...extra,
  })

  test('at equal latency and no load, traffic splits by weight', () => {
    const [heavy, light] = selectionShares([candidate(3, 200), candidate(1, 200)], 0)
    expect(heavy).toBeCloseTo(0.75, 9)
    expect(light).toBeCloseTo(0.25, 9)
  })

  test('a member three times slower gets 1/81 of its peer’s score', () => {
    const [fast, slow] = selectionShares([candidate(1, 100), candidate(1, 300)], 0)
    expect(slow).toBeCloseTo(1 / 82, 9)
    expect(fast).toBeCloseTo(81 / 82, 9)
  })

  test('a member without samples counts as fast as the fastest, so it gets tried', () => {
    const [known, fresh] = selectionShares([candidate(1, 300), candidate(1, null)], 0)
    expect(fresh).toBeCloseTo(0.5, 9)
    expect(known).toBeCloseTo(0.5, 9)
    expect(selectionShares([candidate(1, null), candidate(3, null)], 0)).toEqual([0.25, 0.75])
  })

  test('each in-flight request lowers a member’s share, less so for heavier members', () => {
    const [busy, idle] = selectionShares([candidate(1, 100, { inFlight: 3 }), candidate(1, 100)], 0)
    expect(busy).toBeCloseTo(0.2, 9)
    expect(idle).toBeCloseTo(0.8, 9)
    const [busyHeavy] = selectionShares([candidate(3, 100, { inFlight: 3 }), candidate(1, 100)], 0)
    expect(busyHeavy).toBeCloseTo(0.6, 9)
  })

  test('consecutive failures add a latency penalty', () => {
    const [failing, fine] = selectionShares([candidate(1, 100, { consecutiveFailures: 1 }), candidate(1, 100)], 0)
    const relative = (100 + FAILURE_PENALTY_MS) / 100
    expect(failing).toBeCloseTo(1 / (1 + relative ** 4), 9)
    expect(fine).toBeGreaterThan(0.99)
  })

  test('the draw follows the shares and is reproducible with a seeded random', () => {
    const candidates = [candidate(3, 200), candidate(1, 200)]
    const draw = (seed: number) => {
      const random = seededRandom(seed)
      return Array.from({ length: 50 }, () => chooseCandidate(candidates, 0, random))
    }
    expect(draw(1)).toEqual(draw(1))
    const random = seededRandom(2)
    let heavy = 0
    for (let i = 0; i < 4_000; i++) if (chooseCandidate(candidates, 0, random) === 0) heavy++
    expect(heavy / 4_000).toBeGreaterThan(0.72)
    expect(heavy / 4_000).toBeLessThan(0.78)
  })
})

describe('traffic split through pick/lease on a virtual clock', () => {
  const TRAFFIC: Record<string, Traffic> = {
    'one request at a time': { mode: 'sequential', requests: 400, generationMs: 2_000 },
    'a request every 250 ms, each streaming 3 s': { mode: 'concurrent', requests: 400, generationMs: 3_000, arrivalMs: 250 },
  }

  function setUp(members: Array<{ uuid: string; weight: number }>) {
    const definition = fakeDefinition('openai-custom')
    const { path } = poolsFileWith({ 'openai-custom': members.map((m) => ({ uuid: m.uuid, weight: m.weight, OPENAI_API_KEY: `sk-${m.uuid}-secret` })) })
    return makePools({ definitions: { 'openai-custom': definition }, poolsFilePath: path }, 11)
  }

  const jitter = (seed: number) => {
    const random = seededRandom(seed)
    return (base: number) => base * (0.8 + 0.4 * random())
  }

  for (const [name, traffic] of Object.entries(TRAFFIC)) {
    describe(name, () => {
      test('equal latency, weights 3:1: within ±15 % of 75/25', () => {
        const { pools, clock } = setUp([
          { uuid: 'heavy', weight: 3 },
          { uuid: 'light', weight: 1 },
        ])
        const noisy = jitter(3)
        const result = shares(
          simulate(pools, clock, 'openai-custom', () => noisy(300), traffic),
          ['heavy', 'light'],
        )
        console.log(`[balance] ${name}: weights 3:1 at 300 ms ±20 % → heavy ${result.heavy}% / light ${result.light}%`)
        expect(result.heavy).toBeGreaterThanOrEqual(75 * 0.85)
        expect(result.heavy).toBeLessThanOrEqual(75 * 1.15)
        expect(result.light).toBeGreaterThanOrEqual(25 * 0.85)
        expect(result.light).toBeLessThanOrEqual(25 * 1.15)
      })

      test('a member 200 ms slower than its peer gets under 15 %', () => {
        const { pools, clock } = setUp([
          { uuid: 'fast', weight: 1 },
          { uuid: 'slow', weight: 1 },
        ])
        const noisy = jitter(4)
        const result = shares(
          simulate(pools, clock, 'openai-custom', (uuid) => noisy(uuid === 'fast' ? 100 : 300), traffic),
          ['fast', 'slow'],
        )
        console.log(`[balance] ${name}: 100 ms vs 300 ms → fast ${result.fast}% / slow ${result.slow}%`)
        expect(result.slow).toBeLessThan(15)
      })

      test('at 800 ms vs 1000 ms the faster member still gets most traffic', () => {
        const { pools, clock } = setUp([
          { uuid: 'fast', weight: 1 },
          { uuid: 'slow', weight: 1 },
        ])
        const noisy = jitter(5)
        const result = shares(
          simulate(pools, clock, 'openai-custom', (uuid) => noisy(uuid === 'fast' ? 800 : 1_000), traffic),
          ['fast', 'slow'],
        )
        console.log(`[balance] ${name}: 800 ms vs 1000 ms → fast ${result.fast}% / slow ${result.slow}%`)
        expect(result.fast).toBeGreaterThan(result.slow ?? 100)
      })

      test('three equal members share evenly', () => {
        const { pools, clock } = setUp([
          { uuid: 'a', weight: 1 },
          { uuid: 'b', weight: 1 },
          { uuid: 'c', weight: 1 },
        ])
        const noisy = jitter(6)
        const result = shares(
          simulate(pools, clock, 'openai-custom', () => noisy(300), traffic),
          ['a', 'b', 'c'],
        )
        console.log(`[balance] ${name}: three equal members → ${result.a}% / ${result.b}% / ${result.c}%`)
        for (const share of Object.values(result)) {
          expect(share).toBeGreaterThan((100 / 3) * 0.85)
          expect(share).toBeLessThan((100 / 3) * 1.15)
        }
      })

      test('a member that turns slow is avoided from its first slow answer on', () => {
        const { pools, clock } = setUp([
          { uuid: 'turns-slow', weight: 1 },
          { uuid: 'steady', weight: 1 },
        ])
        const noisy = jitter(7)
        const switchAt = clock.time + 30_000
        let firstSlowAnswerAt: number | undefined
        const result = simulate(
          pools,
          clock,
          'openai-custom',
          (uuid, at) => {
            if (uuid !== 'turns-slow' || at < switchAt) return noisy(100)
            firstSlowAnswerAt ??= at + 2_000
            return 2_000
          },
          traffic,
        )
        const after = result.picks.filter((pick) => firstSlowAnswerAt !== undefined && pick.at >= firstSlowAnswerAt).slice(0, 20)
        const stillSent = after.filter((pick) => pick.uuid === 'turns-slow').length
        console.log(`[balance] ${name}: after its first 2000 ms answer, the slow member got ${stillSent} of the next 20 requests`)
        expect(after).toHaveLength(20)
        expect(stillSent).toBeLessThanOrEqual(1)
      })
    })
  }

  test('in-flight requests count against a member', () => {
    const { pools } = setUp([
      { uuid: 'busy', weight: 1 },
      { uuid: 'idle', weight: 1 },
    ])
    const held = [1, 2, 3].map(() => {
      const picked = pools.pick('openai-custom', { tried: new Set(['idle']) })
      if ('error' in picked) throw picked.error
      expect(picked.lease.member.uuid).toBe('busy')
      return picked.lease
    })
    let busy = 0
    for (let i = 0; i < 1_000; i++) {
      const picked = pools.pick('openai-custom', { tried: new Set() })
      if ('error' in picked) throw picked.error
      if (picked.lease.member.uuid === 'busy') busy++
      picked.lease.end()
    }
    console.log(`[balance] with 3 requests in flight on one of two equal members it gets ${busy / 10}% of new requests`)
    expect(busy / 1_000).toBeGreaterThan(0.15)
    expect(busy / 1_000).toBeLessThan(0.25)
    for (const lease of held) lease.end()
  })
})
