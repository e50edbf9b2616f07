// Token expiry times as Kiro and AWS tools write them: ISO-8601 with `Z` or an offset and
// any number of fractional digits (Date.parse is not specified for more than three, and it
// reads offset-less times as local time), or an epoch number.

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i

/** Epoch ms, or undefined when the value is not a recognisable time. Offset-less times are UTC. */
export function parseExpiresAt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) {
    // Epoch seconds until the year 33658; larger values are milliseconds.
    return value < 1e12 ? value * 1000 : value
  }
  if (typeof value !== 'string') return undefined
  const match = ISO.exec(value.trim())
  if (!match) return undefined
  const [, year, month, day, hour, minute, second, fraction, zone] = match
  const ms = fraction === undefined ? 0 : Number(`0.${fraction}`) * 1000
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second ?? 0)) + Math.floor(ms)
  if (Number.isNaN(utc) || Number(month) > 12 || Number(day) > 31 || Number(hour) > 23 || Number(minute) > 59) return undefined
  return utc - offsetMs(zone)
}

function offsetMs(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0
  const sign = zone.startsWith('-') ? -1 : 1
  const digits = zone.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0
  return sign * (hours * 60 + minutes) * 60_000
}

/** The ISO form written back to the token file (what the Kiro IDE writes). */
export function formatExpiresAt(epochMs: number): string {
  return new Date(epochMs).toISOString()
}
