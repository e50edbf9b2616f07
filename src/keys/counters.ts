// Per-key rate and budget counters, in memory, checked in microseconds on the request path.
// Behind an interface so a shared store (Redis, for several replicas) can take their place.
// Windows are fixed: the current clock minute for rpm/tpm, the current UTC day for
// dailyTokens, so a refusal can say exactly when it ends.
import { type GatewayError, quotaExhausted, rateLimited } from '../errors/gateway-error.ts'
import type { ClientKey } from './keys-file.ts'

export interface KeyCounters {
  /** Counts one request of the key; the 429 to answer instead, or undefined. */
  admit(key: ClientKey, now: number): GatewayError | undefined
  /** Charges the tokens of an answer (known when it ends, streams included). */
  charge(name: string, tokens: number, now: number): void
  /** Tokens already spent today (from the usage database after a restart). */
  seedDaily(name: string, tokens: number, now: number): void
}

export const MINUTE_MS = 60_000
export const DAY_MS = 86_400_000

/** What other replicas counted for a key in the current minute and day (see SharedCounters). */
export interface Counted {
  requests: number
  minuteTokens: number
  dayTokens: number
}

export const NONE: Counted = { requests: 0, minuteTokens: 0, dayTokens: 0 }

export interface Tally {
  minute: number
  requests: number
  minuteTokens: number
  day: number
  dayTokens: number
}

export class MemoryCounters implements KeyCounters {
  private readonly tallies = new Map<string, Tally>()

  /** `others`: what other replicas counted in the same windows, added to this one's own. */
  admit(key: ClientKey, now: number, others: Counted = NONE): GatewayError | undefined {
    const tally = this.tally(key.name, now)
    if (key.dailyTokens !== undefined && tally.dayTokens + others.dayTokens >= key.dailyTokens) {
      return quotaExhausted(`key ${key.name} has used its ${key.dailyTokens} tokens for today (UTC)`, {
        scope: 'request',
        retryAfterMs: (tally.day + 1) * DAY_MS - now,
        computedReset: true,
      })
    }
    const minuteLeft = (tally.minute + 1) * MINUTE_MS - now
    if (key.rpm !== undefined && tally.requests + others.requests >= key.rpm) {
      return rateLimited(`key ${key.name} is over its limit of ${key.rpm} requests per minute`, { scope: 'request', retryAfterMs: minuteLeft })
    }
    if (key.tpm !== undefined && tally.minuteTokens + others.minuteTokens >= key.tpm) {
      return rateLimited(`key ${key.name} is over its limit of ${key.tpm} tokens per minute`, { scope: 'request', retryAfterMs: minuteLeft })
    }
    tally.requests++
    return undefined
  }

  charge(name: string, tokens: number, now: number): void {
    const tally = this.tally(name, now)
    tally.minuteTokens += tokens
    tally.dayTokens += tokens
  }

  seedDaily(name: string, tokens: number, now: number): void {
    this.tally(name, now).dayTokens += tokens
  }

  /** The key's own tally, rolled over to the current minute and day. */
  tally(name: string, now: number): Tally {
    const minute = Math.floor(now / MINUTE_MS)
    const day = Math.floor(now / DAY_MS)
    let tally = this.tallies.get(name)
    if (tally === undefined) {
      tally = { minute, requests: 0, minuteTokens: 0, day, dayTokens: 0 }
      this.tallies.set(name, tally)
    }
    if (tally.minute !== minute) Object.assign(tally, { minute, requests: 0, minuteTokens: 0 })
    if (tally.day !== day) Object.assign(tally, { day, dayTokens: 0 })
    return tally
  }
}

/** The UTC day of an instant, as YYYY-MM-DD. */
export function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10)
}
