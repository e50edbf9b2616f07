// Client-key counters shared by replicas: each replica counts its own requests and tokens
// (MemoryCounters) and, every PUBLISH_EVERY_MS, publishes its own totals for the current
// minute and UTC day. Totals are absolute, so a lost or repeated message never double counts:
// a replica's limit checks add the latest totals of every other replica in the same windows.
// Daily totals also live in a Redis hash (one field per key and replica, two-day TTL), so a
// replica that starts later knows what today's budgets have spent. Decisions never wait on Redis.
import type { GatewayError } from '../errors/gateway-error.ts'
import { type Counted, DAY_MS, type KeyCounters, MemoryCounters, MINUTE_MS, utcDay } from '../keys/counters.ts'
import type { ClientKey } from '../keys/keys-file.ts'
import { isRecord } from '../json/read.ts'
import type { Keys } from './keys.ts'
import type { RedisLink } from './link.ts'

export const PUBLISH_EVERY_MS = 100
const DAILY_TTL_S = 2 * 86_400

interface Remote {
  minute: number
  day: number
  /** name → [requests this minute, tokens this minute, tokens today] */
  counts: Record<string, [number, number, number]>
}

export interface SharedCountersOptions {
  link: RedisLink
  keys: Keys
  origin: string
  now: () => number
}

export class SharedCounters implements KeyCounters {
  private readonly own = new MemoryCounters()
  private readonly remotes = new Map<string, Remote>()
  /** Daily totals of other (and earlier) replicas read from Redis for `loadedDay`: name → origin → tokens. */
  private stored = new Map<string, Map<string, number>>()
  private loadedDay = -1
  private readonly dirty = new Set<string>()
  private timer: ReturnType<typeof setInterval> | undefined

  constructor(private readonly options: SharedCountersOptions) {}

  start(): void {
    this.timer = setInterval(() => this.publish(), PUBLISH_EVERY_MS)
    this.timer.unref?.()
  }

  stop(): void {
    clearInterval(this.timer)
    this.publish()
  }

  admit(key: ClientKey, now: number): GatewayError | undefined {
    const refused = this.own.admit(key, now, this.others(key.name, now))
    if (refused === undefined) this.dirty.add(key.name)
    return refused
  }

  charge(name: string, tokens: number, now: number): void {
    this.own.charge(name, tokens, now)
    this.dirty.add(name)
  }

  /** With Redis, today's spend comes from Redis (`load`), which also holds what earlier runs of this replica spent. */
  seedDaily(): void {}

  /** What every other replica counted for `name` in the current minute and day. */
  others(name: string, now: number): Counted {
    const minute = Math.floor(now / MINUTE_MS)
    const day = Math.floor(now / DAY_MS)
    const total = { requests: 0, minuteTokens: 0, dayTokens: 0 }
    // Per replica, the larger of what Redis held at connect time and what it published since.
    const daily = new Map(day === this.loadedDay ? this.stored.get(name) : undefined)
    for (const [origin, remote] of this.remotes) {
      const counts = remote.counts[name]
      if (counts === undefined || remote.day !== day) continue
      if (remote.minute === minute) {
        total.requests += counts[0]
        total.minuteTokens += counts[1]
      }
      daily.set(origin, Math.max(daily.get(origin) ?? 0, counts[2]))
    }
    for (const tokens of daily.values()) total.dayTokens += tokens
    return total
  }

  /** A message of another replica (type `k`). */
  receive(message: Record<string, unknown>): void {
    const { o: origin, m: minute, d: day, c: counts } = message
    if (typeof origin !== 'string' || typeof minute !== 'number' || typeof day !== 'number' || !isRecord(counts)) return
    const remote = this.remotes.get(origin)
    const merged = remote && remote.day === day ? remote.counts : {}
    if (remote && remote.minute !== minute) for (const counted of Object.values(merged)) Object.assign(counted, [0, 0, counted[2]])
    for (const [name, value] of Object.entries(counts)) {
      if (Array.isArray(value) && value.length === 3 && value.every((n) => typeof n === 'number')) merged[name] = value as [number, number, number]
    }
    this.remotes.set(origin, { minute, day, counts: merged })
  }

  /** Today's daily totals of every other replica, past runs included (on each connect). */
  async load(client: Parameters<Parameters<RedisLink['command']>[0]>[0]): Promise<void> {
    const now = this.options.now()
    const fields = (await client.hgetall(this.dailyKey(now))) as Record<string, string> | null
    const stored = new Map<string, Map<string, number>>()
    for (const [field, value] of Object.entries(fields ?? {})) {
      const bar = field.lastIndexOf('|')
      const origin = field.slice(bar + 1)
      if (bar === -1 || origin === this.options.origin) continue
      const name = field.slice(0, bar)
      const byOrigin = stored.get(name) ?? new Map<string, number>()
      byOrigin.set(origin, Number(value) || 0)
      stored.set(name, byOrigin)
    }
    this.stored = stored
    this.loadedDay = Math.floor(now / DAY_MS)
  }

  private publish(): void {
    if (this.dirty.size === 0) return
    const now = this.options.now()
    const counts: Record<string, [number, number, number]> = {}
    for (const name of this.dirty) {
      const tally = this.own.tally(name, now)
      counts[name] = [tally.requests, tally.minuteTokens, tally.dayTokens]
    }
    this.dirty.clear()
    const { link, keys, origin } = this.options
    const message = JSON.stringify({ t: 'k', o: origin, m: Math.floor(now / MINUTE_MS), d: Math.floor(now / DAY_MS), c: counts })
    link.write('key-counters', (client) => client.publish(keys.channel, message))
    const daily = this.dailyKey(now)
    for (const [name, [, , dayTokens]] of Object.entries(counts)) {
      if (dayTokens === 0) continue
      link.write(`daily:${name}`, async (client) => {
        await client.hset(daily, `${name}|${origin}`, String(dayTokens))
        await client.expire(daily, DAILY_TTL_S)
      })
    }
  }

  private dailyKey(now: number): string {
    return `${this.options.keys.prefix}daily:${utcDay(now)}`
  }
}
