// Stored Responses API answers shared by replicas: each answer is kept in this replica's
// memory and written to Redis (fire-and-forget, with the store's TTL), so `previous_response_id`
// and `GET /v1/responses/{id}` work whichever replica the load balancer picks. A lookup asks
// Redis only when this replica does not hold the answer, and gives up after the link's command
// timeout: with Redis away, answers made elsewhere are unknown here (400), as without Redis.
import type { ResponseStore, StoredResponse } from '../responses/store.ts'
import { isRecord } from '../json/read.ts'
import type { Keys } from './keys.ts'
import type { RedisLink } from './link.ts'

export class SharedResponseStore implements ResponseStore {
  constructor(
    private readonly local: ResponseStore,
    private readonly link: RedisLink,
    private readonly keys: Keys,
    private readonly ttlMs: number,
  ) {}

  async get(id: string): Promise<StoredResponse | undefined> {
    const held = await this.local.get(id)
    if (held !== undefined) return held
    const text = await this.link.command((client) => client.get(this.key(id)))
    if (typeof text !== 'string') return undefined
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      return undefined
    }
    if (!isRecord(value) || !Array.isArray(value.input) || !isRecord(value.response)) return undefined
    const record = { input: value.input, response: value.response }
    await this.local.put(id, record)
    return record
  }

  async put(id: string, record: StoredResponse): Promise<void> {
    await this.local.put(id, record)
    if (this.ttlMs <= 0) return
    const text = JSON.stringify(record)
    this.link.write(`response:${id}`, (client) => client.set(this.key(id), text, 'PX', this.ttlMs))
  }

  private key(id: string): string {
    return `${this.keys.prefix}response:${id}`
  }
}
