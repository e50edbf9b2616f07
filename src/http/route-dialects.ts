// Which dialect a request speaks, from the route groups' own declarations: each group
// declares the dialect of its routes, so errors that happen before any handler (auth,
// unknown routes, validation) render the way that route's clients read them.
import type { AnyElysia } from 'elysia'
import type { Dialect } from '../dialects/types.ts'

/** A route group's dialect: fixed, or chosen by the request's headers (a path two dialects share). */
export type DialectOf = Dialect | ((headers: Headers) => Dialect)

interface Entry {
  method: string
  segments: string[]
  dialect: DialectOf
}

const segmentsOf = (path: string) => path.split('/').filter((segment) => segment !== '')
const isParam = (segment: string) => segment.startsWith(':')

export class RouteDialects {
  private readonly entries: Entry[] = []

  /** @param fallback the dialect of paths no declared route resembles (from the headers, when a function) */
  constructor(readonly fallback: DialectOf) {}

  /** Records every route of `group` as speaking `dialect`; returns the group. */
  declare<T extends AnyElysia>(dialect: DialectOf, group: T): T {
    for (const route of group.routes) this.entries.push({ method: route.method, segments: segmentsOf(route.path), dialect })
    return group
  }

  /**
   * The dialect of the route that serves `method path` (the most literal one when several
   * match); else of a route on that path with another method; else of the route sharing
   * the longest literal prefix (`/v1beta/unknown` is Gemini's) when only one dialect does;
   * else the fallback.
   */
  of(method: string, path: string, headers: Headers): Dialect {
    const segments = segmentsOf(path)
    let best: { entry: Entry; rank: number } | undefined
    let tied = false
    for (const entry of this.entries) {
      const rank = this.rank(entry, method, segments)
      if (rank === 0) continue
      if (!best || rank > best.rank) {
        best = { entry, rank }
        tied = false
      } else if (rank === best.rank && this.resolve(entry.dialect, headers) !== this.resolve(best.entry.dialect, headers)) tied = true
    }
    return this.resolve(best && !tied ? best.entry.dialect : this.fallback, headers)
  }

  resolve(dialect: DialectOf, headers: Headers): Dialect {
    return typeof dialect === 'function' ? dialect(headers) : dialect
  }

  /** Full matches outrank prefixes, the same method outranks another; literal segments count within each. */
  private rank(entry: Entry, method: string, segments: string[]): number {
    const shared = Math.min(entry.segments.length, segments.length)
    let literal = 0
    let at = 0
    for (; at < shared; at++) {
      const expected = entry.segments[at] as string
      if (isParam(expected)) continue
      if (expected !== segments[at]) break
      literal++
    }
    const full = at === entry.segments.length && at === segments.length
    // A prefix counts its literal segments up to the first mismatch.
    if (!full) return literal
    return (entry.method === method ? 2000 : 1000) + literal
  }
}
