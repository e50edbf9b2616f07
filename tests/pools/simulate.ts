// A discrete-event traffic simulation through the real pick/lease API on a virtual clock:
// each request gets its first byte after the member's time to first byte, then streams
// for `generationMs` more before its lease ends.
import type { PoolsRuntime } from '../../src/pools/index.ts'
import type { ProviderId } from '../../src/providers/types.ts'
import type { Clock } from './helpers.ts'

export interface Traffic {
  /** `sequential`: one request at a time; `concurrent`: a new request every `arrivalMs`. */
  mode: 'sequential' | 'concurrent'
  requests: number
  generationMs: number
  arrivalMs?: number
}

export interface SimulationResult {
  counts: Record<string, number>
  /** uuid of each pick, in order, with the time of the pick. */
  picks: Array<{ at: number; uuid: string }>
}

export function simulate(
  pools: PoolsRuntime,
  clock: Clock,
  provider: ProviderId,
  ttfbOf: (uuid: string, at: number) => number,
  traffic: Traffic,
): SimulationResult {
  const events: Array<{ at: number; seq: number; run: () => void }> = []
  let seq = 0
  const schedule = (at: number, run: () => void) => {
    events.push({ at, seq: seq++, run })
    events.sort((a, b) => a.at - b.at || a.seq - b.seq)
  }
  const result: SimulationResult = { counts: {}, picks: [] }
  const startRequest = () => {
    const picked = pools.pick(provider, { tried: new Set() })
    if ('error' in picked) throw picked.error
    const { lease } = picked
    const uuid = lease.member.uuid
    result.counts[uuid] = (result.counts[uuid] ?? 0) + 1
    result.picks.push({ at: clock.time, uuid })
    const ttfb = ttfbOf(uuid, clock.time)
    schedule(clock.time + ttfb, () => lease.succeeded(ttfb))
    schedule(clock.time + ttfb + traffic.generationMs, () => {
      lease.end()
      if (traffic.mode === 'sequential' && result.picks.length < traffic.requests) startRequest()
    })
  }
  const start = clock.time
  if (traffic.mode === 'sequential') schedule(start, startRequest)
  else for (let i = 0; i < traffic.requests; i++) schedule(start + i * (traffic.arrivalMs ?? 250), startRequest)
  while (events.length > 0) {
    const event = events.shift()
    if (event === undefined) break
    clock.time = Math.max(clock.time, event.at)
    event.run()
  }
  return result
}

/** Percent of picks per uuid, one decimal. */
export function shares(result: SimulationResult, uuids: readonly string[]): Record<string, number> {
  const total = result.picks.length
  return Object.fromEntries(uuids.map((uuid) => [uuid, Math.round((1000 * (result.counts[uuid] ?? 0)) / total) / 10]))
}
