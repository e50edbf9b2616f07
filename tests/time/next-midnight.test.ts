import { describe, expect, test } from 'bun:test'
import { msUntilNextMidnight } from '../../src/time/next-midnight.ts'

const MINUTE = 60_000
const HOUR = 60 * MINUTE

describe('msUntilNextMidnight', () => {
  const cases = [
    { name: 'Los Angeles in winter (UTC-8)', now: '2026-01-15T20:00:00Z', zone: 'America/Los_Angeles', expected: 12 * HOUR },
    { name: 'Los Angeles in summer (UTC-7)', now: '2026-07-01T06:30:00Z', zone: 'America/Los_Angeles', expected: 30 * MINUTE },
    { name: 'Los Angeles on the day clocks spring forward (23 h day)', now: '2026-03-08T08:00:00Z', zone: 'America/Los_Angeles', expected: 23 * HOUR },
    { name: 'Los Angeles on the day clocks fall back (25 h day)', now: '2026-11-01T07:00:00Z', zone: 'America/Los_Angeles', expected: 25 * HOUR },
    { name: 'Shanghai one minute before midnight', now: '2026-01-15T15:59:00Z', zone: 'Asia/Shanghai', expected: MINUTE },
    { name: 'Shanghai exactly at midnight: the next one', now: '2026-01-15T16:00:00Z', zone: 'Asia/Shanghai', expected: 24 * HOUR },
    { name: 'Shanghai with seconds and milliseconds', now: '2026-01-15T15:58:59.250Z', zone: 'Asia/Shanghai', expected: MINUTE + 750 },
  ]
  for (const { name, now, zone, expected } of cases) {
    test(name, () => {
      expect(msUntilNextMidnight(Date.parse(now), zone)).toBe(expected)
    })
  }
})
