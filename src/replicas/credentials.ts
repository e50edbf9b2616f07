// OAuth credentials shared through Redis: the newest record of each member (a hash, kept
// across restarts so a replica starting later adopts it), a refresh lock per member
// (SET NX PX: it expires if its holder dies) and a message when a refresh ends, so waiting
// replicas go on at once. Records hold tokens: they live only under REDIS_PREFIX and
// never reach a log line.
import type { RedisClient } from 'bun'
import type { CredentialRecord, CredentialSharing, SharedCredential, SharedRefresh } from '../providers/oauth/shared-credential.ts'
import { isRecord } from '../json/read.ts'
import type { Keys } from './keys.ts'
import type { RedisLink } from './link.ts'

/** Longest a refresh may hold the lock: the token endpoints time out well before. */
export const REFRESH_LOCK_MS = 30_000
/** Attempts to get the lock or another replica's result before refreshing regardless. */
const REFRESH_ROUNDS = 3

const STORE_NEWER = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local ok, decoded = pcall(cjson.decode, current)
  if ok and type(decoded) == 'table' and tonumber(decoded.at) and tonumber(decoded.at) >= tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('PUBLISH', KEYS[2], ARGV[4])
return 1
`
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`

interface Stored {
  at: number
  record: CredentialRecord
}

export interface CredentialsOptions {
  link: RedisLink
  keys: Keys
  origin: string
  now: () => number
}

export class RedisCredentials implements CredentialSharing {
  private readonly newest = new Map<string, Stored>()
  private readonly listeners = new Map<string, Set<(record: CredentialRecord) => void>>()
  /** Replicas waiting for another one's refresh of a member to end. */
  private readonly waiters = new Map<string, Set<() => void>>()

  constructor(private readonly options: CredentialsOptions) {}

  credential(provider: string, uuid: string): SharedCredential {
    const key = `${provider}/${uuid}`
    const mine = new Set<(record: CredentialRecord) => void>()
    return {
      newest: () => this.newest.get(key)?.record,
      onUpdate: (listener) => {
        mine.add(listener)
        this.listenersOf(key).add(listener)
      },
      refresh: (refresh) => this.refresh(key, refresh),
      close: () => {
        for (const listener of mine) this.listeners.get(key)?.delete(listener)
      },
    }
  }

  receive(message: Record<string, unknown>): void {
    if (typeof message.k !== 'string') return
    if (message.t === 'c' && typeof message.at === 'number' && isRecord(message.r)) this.adopt(message.k, { at: message.at, record: message.r })
    if (message.t === 'c' || message.t === 'cf') this.wake(message.k)
  }

  /** After a (re)connect: the newest record of every member, as the other replicas left them. */
  async load(client: RedisClient): Promise<void> {
    const stored: Record<string, string> = await client.hgetall(this.options.keys.credentials)
    for (const [key, value] of Object.entries(stored)) {
      const parsed = parseStored(value)
      if (parsed !== undefined) this.adopt(key, parsed)
    }
  }

  private async refresh(key: string, refresh: SharedRefresh): Promise<CredentialRecord> {
    const { link, keys } = this.options
    const lockKey = keys.refreshLock(key)
    for (let round = 0; round < REFRESH_ROUNDS; round++) {
      if (!link.reachable) break
      const seen = this.newest.get(key)?.at
      // Listening before asking for the lock: the holder's message cannot slip between the two.
      const settled = this.waitFor(key, REFRESH_LOCK_MS)
      const lockId = crypto.randomUUID()
      const locked = await link.command((client) => client.send('SET', [lockKey, lockId, 'NX', 'PX', String(REFRESH_LOCK_MS)]))
      if (locked === undefined) {
        settled.cancel()
        break
      }
      if (locked === 'OK') {
        settled.cancel()
        try {
          await this.fetchStored(key)
          const base = this.newest.get(key)?.record
          if (base !== undefined && refresh.fresh(base)) return base
          return await this.runAndPublish(key, refresh, base, true)
        } finally {
          void link.command((client) => client.eval(RELEASE, 1, lockKey, lockId))
        }
      }
      await settled.done
      // The message may have been missed (a reconnect in between): Redis has the record too.
      await this.fetchStored(key)
      const after = this.newest.get(key)
      if (after !== undefined && after.at !== seen && refresh.fresh(after.record)) return after.record
    }
    return this.runAndPublish(key, refresh, this.newest.get(key)?.record, false)
  }

  /** `locked`: under the lock, the record is stored before the lock is released (the next holder starts from it). */
  private async runAndPublish(key: string, refresh: SharedRefresh, base: CredentialRecord | undefined, locked: boolean): Promise<CredentialRecord> {
    const { link, keys, origin } = this.options
    let record: CredentialRecord
    try {
      record = await refresh.run(base)
    } catch (error) {
      link.write(`cf:${key}`, (client) => client.publish(keys.channel, JSON.stringify({ o: origin, t: 'cf', k: key })))
      throw error
    }
    const at = Math.max(this.options.now(), (this.newest.get(key)?.at ?? 0) + 1)
    this.newest.set(key, { at, record })
    const message = JSON.stringify({ o: origin, t: 'c', k: key, at, r: record })
    const store = (client: RedisClient) => client.eval(STORE_NEWER, 2, keys.credentials, keys.channel, key, at, JSON.stringify({ at, record }), message)
    if (!locked || (await link.command(store)) === undefined) link.write(`c:${key}`, store)
    return record
  }

  private async fetchStored(key: string): Promise<void> {
    const value = await this.options.link.command((client) => client.hget(this.options.keys.credentials, key))
    const parsed = typeof value === 'string' ? parseStored(value) : undefined
    if (parsed !== undefined) this.adopt(key, parsed)
  }

  private adopt(key: string, stored: Stored): void {
    const known = this.newest.get(key)
    if (known !== undefined && known.at >= stored.at) return
    this.newest.set(key, stored)
    for (const listener of this.listeners.get(key) ?? []) listener(stored.record)
  }

  private listenersOf(key: string): Set<(record: CredentialRecord) => void> {
    let set = this.listeners.get(key)
    if (set === undefined) this.listeners.set(key, (set = new Set()))
    return set
  }

  private waitFor(key: string, ms: number): { done: Promise<void>; cancel: () => void } {
    let set = this.waiters.get(key)
    if (set === undefined) this.waiters.set(key, (set = new Set()))
    const waiting = set
    let finish = () => {}
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(() => finish(), ms)
      finish = () => {
        clearTimeout(timer)
        waiting.delete(finish)
        resolve()
      }
      waiting.add(finish)
    })
    return { done, cancel: () => finish() }
  }

  private wake(key: string): void {
    for (const finish of [...(this.waiters.get(key) ?? [])]) finish()
  }
}

function parseStored(value: string): Stored | undefined {
  try {
    const parsed: unknown = JSON.parse(value)
    if (isRecord(parsed) && typeof parsed.at === 'number' && isRecord(parsed.record)) return { at: parsed.at, record: parsed.record }
  } catch {
    // Not ours or corrupt: ignored, the next refresh rewrites it.
  }
  return undefined
}
