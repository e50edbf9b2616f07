// The last minutes of API traffic for the dashboard: fixed time slots (requests, errors,
// tokens, a capped sample of durations for percentiles) and the most recent errors.
import type { Exchange } from './exchange.ts'

const SLOT_MS = 5_000
const SLOTS = 180 // 15 minutes
/** Durations kept per slot for percentiles; more than enough for a chart. */
const SAMPLES_PER_SLOT = 256
const RECENT_ERRORS = 25

interface Slot {
  start: number
  requests: number
  errors: number
  inputTokens: number
  outputTokens: number
  durations: number[]
}

export interface RecentError {
  time: string
  requestId: string
  status: number
  dialect: string | null
  provider: string | null
  instance: string | null
  model: string | null
  message: string
}

export interface WindowPoint {
  /** Slot start, ms since the epoch. */
  t: number
  requests: number
  errors: number
  inputTokens: number
  outputTokens: number
  p50: number | null
  p95: number | null
  p99: number | null
}

export interface TrafficSummary {
  slotMs: number
  points: WindowPoint[]
  recentErrors: RecentError[]
}

export class TrafficWindow {
  private readonly slots: Slot[] = []
  private readonly errors: RecentError[] = []

  constructor(
    private readonly now: () => number,
    private readonly redact: (text: string) => string,
  ) {}

  record(exchange: Exchange): void {
    if (exchange.dialect === undefined) return
    const slot = this.current()
    slot.requests++
    if (exchange.status >= 400) slot.errors++
    slot.inputTokens += exchange.inputTokens ?? 0
    slot.outputTokens += exchange.outputTokens ?? 0
    if (slot.durations.length < SAMPLES_PER_SLOT) slot.durations.push(exchange.durationMs)
    if (exchange.status >= 400) {
      this.errors.unshift({
        time: new Date(this.now()).toISOString(),
        requestId: exchange.id,
        status: exchange.status,
        dialect: exchange.dialect,
        provider: exchange.provider ?? null,
        instance: exchange.instance ?? null,
        model: exchange.model ?? null,
        message: this.redact(exchange.error?.message ?? `status ${exchange.status}`),
      })
      this.errors.length = Math.min(this.errors.length, RECENT_ERRORS)
    }
  }

  summary(): TrafficSummary {
    const latest = this.slotStart(this.now())
    const byStart = new Map(this.slots.map((slot) => [slot.start, slot]))
    const points: WindowPoint[] = []
    for (let index = SLOTS - 1; index >= 0; index--) {
      const start = latest - index * SLOT_MS
      const slot = byStart.get(start)
      const sorted = slot ? [...slot.durations].sort((a, b) => a - b) : []
      points.push({
        t: start,
        requests: slot?.requests ?? 0,
        errors: slot?.errors ?? 0,
        inputTokens: slot?.inputTokens ?? 0,
        outputTokens: slot?.outputTokens ?? 0,
        p50: percentile(sorted, 0.5),
        p95: percentile(sorted, 0.95),
        p99: percentile(sorted, 0.99),
      })
    }
    return { slotMs: SLOT_MS, points, recentErrors: [...this.errors] }
  }

  private slotStart(time: number): number {
    return time - (time % SLOT_MS)
  }

  private current(): Slot {
    const start = this.slotStart(this.now())
    const last = this.slots[this.slots.length - 1]
    if (last?.start === start) return last
    const slot: Slot = { start, requests: 0, errors: 0, inputTokens: 0, outputTokens: 0, durations: [] }
    this.slots.push(slot)
    const oldest = start - (SLOTS - 1) * SLOT_MS
    while ((this.slots[0]?.start ?? start) < oldest) this.slots.shift()
    return slot
  }
}

function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null
  const value = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number
  return Math.round(value * 10) / 10
}
