// Session affinity: which member served a session last, so follow-up requests land where
// the upstream's prompt cache is warm. Bounded (least recently used entries go first) and
// forgetful (entries expire).

export const SESSION_MAX_ENTRIES = 10_000
export const SESSION_TTL_MS = 3_600_000

export class SessionAffinity {
  // A Map iterates in insertion order; re-inserting on use keeps the oldest first.
  private readonly entries = new Map<string, { uuid: string; at: number }>()

  constructor(
    private readonly maxEntries = SESSION_MAX_ENTRIES,
    private readonly ttlMs = SESSION_TTL_MS,
  ) {}

  get(key: string, now: number): string | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined) return undefined
    if (now - entry.at > this.ttlMs) {
      this.entries.delete(key)
      return undefined
    }
    return entry.uuid
  }

  set(key: string, uuid: string, now: number): void {
    this.entries.delete(key)
    this.entries.set(key, { uuid, at: now })
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next()
      if (oldest.done) break
      this.entries.delete(oldest.value)
    }
  }

  get size(): number {
    return this.entries.size
  }
}
