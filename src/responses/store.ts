// Stored Responses API answers, so `previous_response_id` can continue a conversation and
// `GET /v1/responses/{id}` can return one. Behind an interface so a shared store (Redis)
// can replace the in-memory one; the in-memory one is bounded in count and age.

/** One stored exchange: the whole input it answered (earlier turns included) and the answer. */
export interface StoredResponse {
  /** Input items, oldest first, as the client sent them (a string input becomes one user message). */
  input: unknown[]
  /** The `response` object as the client received it. */
  response: Record<string, unknown>
}

export interface ResponseStore {
  get(id: string): Promise<StoredResponse | undefined>
  put(id: string, record: StoredResponse): Promise<void>
}

/** Insertion-ordered map: the oldest entry goes first when full, and any entry once past its TTL. */
export class MemoryResponseStore implements ResponseStore {
  private readonly entries = new Map<string, { record: StoredResponse; expiresAt: number }>()

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  async get(id: string): Promise<StoredResponse | undefined> {
    const entry = this.entries.get(id)
    if (!entry) return undefined
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(id)
      return undefined
    }
    return entry.record
  }

  async put(id: string, record: StoredResponse): Promise<void> {
    if (this.maxEntries === 0) return
    this.entries.delete(id)
    this.entries.set(id, { record, expiresAt: this.now() + this.ttlMs })
    this.evict()
  }

  get size(): number {
    return this.entries.size
  }

  private evict(): void {
    const now = this.now()
    for (const [id, entry] of this.entries) {
      // Oldest first: stop at the first entry that is both fresh and within the bound.
      if (entry.expiresAt > now && this.entries.size <= this.maxEntries) break
      this.entries.delete(id)
    }
  }
}
