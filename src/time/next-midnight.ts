// Free-tier quotas of OAuth providers reset at local midnight of the provider's time zone
// (Google: America/Los_Angeles, Qwen: Asia/Shanghai). Computed with the platform's tz data
// so daylight-saving changes are right.

/** Milliseconds from `now` until the next 00:00 in `timeZone`. */
export function msUntilNextMidnight(now: number, timeZone: string): number {
  const today = wallClock(now, timeZone)
  const midnightAsUtc = Date.UTC(today.year, today.month - 1, today.day + 1)
  // Local midnight = that wall-clock time minus the zone's offset then; two passes settle
  // the offset when a DST change falls between now and midnight.
  let target = midnightAsUtc - offsetMs(now, timeZone)
  target = midnightAsUtc - offsetMs(target, timeZone)
  return Math.max(0, target - now)
}

interface WallClock {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

function wallClock(at: number, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at)
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value ?? 0)
  return { year: field('year'), month: field('month'), day: field('day'), hour: field('hour'), minute: field('minute'), second: field('second') }
}

/** The zone's UTC offset at `at` (local wall clock minus UTC), in ms. */
function offsetMs(at: number, timeZone: string): number {
  const wall = wallClock(at, timeZone)
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second)
  return wallAsUtc - Math.floor(at / 1000) * 1000
}
