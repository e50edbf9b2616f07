// Google resets daily Gemini quotas at midnight Pacific time. The offset (PST/PDT) comes from
// the runtime's own time-zone data (Intl), so no date library is needed and DST days are right.

const PACIFIC = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Los_Angeles',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
})

/** Milliseconds from `now` until the next 00:00 in America/Los_Angeles. */
export function msUntilPacificMidnight(now: number): number {
  const wall = pacificWallClock(now)
  const nextMidnightWall = Date.UTC(wall.year, wall.month - 1, wall.day + 1)
  // The offset at midnight can differ from now's on a DST change day: recompute it there.
  const guess = nextMidnightWall - offsetAt(now)
  return nextMidnightWall - offsetAt(guess) - now
}

/** Pacific wall-clock time minus UTC, in ms (−8 h or −7 h). */
function offsetAt(instant: number): number {
  const wall = pacificWallClock(instant)
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second)
  return asUtc - (instant - (((instant % 1000) + 1000) % 1000))
}

function pacificWallClock(instant: number): Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number> {
  const wall = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 }
  for (const part of PACIFIC.formatToParts(new Date(instant))) {
    if (part.type in wall) wall[part.type as keyof typeof wall] = Number(part.value)
  }
  return wall
}
