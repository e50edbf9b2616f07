// Google resets daily Gemini quotas at midnight Pacific time.
import { msUntilNextMidnight } from '../../time/next-midnight.ts'

/** Milliseconds from `now` until the next 00:00 in America/Los_Angeles. */
export function msUntilPacificMidnight(now: number): number {
  return msUntilNextMidnight(now, 'America/Los_Angeles')
}
