// Session affinity: which member served a session last, so follow-up requests land where
// the upstream's prompt cache is warm. Bounded (least recently used entries go first) and
// forgetful (entries expire). Keys are kept as a 64-bit hash, never as the client's text:
// every entry costs the same few dozen bytes whatever the client sends, so the entry cap is
// also a bound in bytes (10,000 entries ≈ 1 MB). A collision only sends a session to
// another member, which is what happens without affinity anyway.

export const SESSION_MAX_ENTRIES = 10_000
export const SESSION_TTL_MS = 3_600_000

export class SessionAffinity {
  // A Map iterates in insertion order; re-inserting on use keeps the oldest first.
  private readonly entries = new Map<bigint, { uuid: string; at: number }>()

  constructor(
    private readonly maxEntries = SESSION_MAX_ENTRIES,
    private readonly ttlMs = SESSION_TTL_MS,
  ) {}

  get(key: string, now: number): string | undefined {
    const hash = hashKey(key)
    const entry = this.entries.get(hash)
    if (entry === undefined) return undefined
    if (now - entry.at > this.ttlMs) {
      this.entries.delete(hash)
      return undefined
    }
    return entry.uuid
  }

  set(key: string, uuid: string, now: number): void {
    const hash = hashKey(key)
    this.entries.delete(hash)
    this.entries.set(hash, { uuid, at: now })
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

function hashKey(key: string): bigint {
  return BigInt.asUintN(64, BigInt(Bun.hash(key)))
}
