// Member verdicts (breaker, cooldown, quota, health result) and sticky-session assignments
// shared through Redis. Each change is stamped with its time; the newest stamp wins, both in
// Redis (a compare-and-set script that also publishes) and on every replica, so replicas
// converge whatever order messages arrive in. Local state is always what requests read.
import type { RedisClient } from 'bun'
import type { MemberEntry } from '../pools/member-entry.ts'
import { COOLDOWN_CAUSES } from '../pools/member-state.ts'
import { type PoolSharing, type SharedVerdict, type SharingStatus, type SharingTarget, verdictOf } from '../pools/sharing.ts'
import { SESSION_MAX_ENTRIES, SESSION_TTL_MS } from '../pools/sticky.ts'
import type { ProviderId } from '../providers/types.ts'
import { isRecord } from '../json/read.ts'
import type { RedisLink } from './link.ts'
import type { Keys } from './keys.ts'

/** Sets the field when its stamp is newer than the stored one, and publishes the message. */
const NEWER_WINS = `
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current then
  local at = tonumber(string.match(current, '^(%d+)|'))
  if at and at >= tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|' .. ARGV[3])
redis.call('PUBLISH', KEYS[2], ARGV[4])
return 1
`
const SESSION_SCAN_COUNT = 500
/** An unchanged assignment is written again only this often, to keep its Redis TTL alive. */
const SESSION_REWRITE_MS = SESSION_TTL_MS / 4

export interface PoolStateOptions {
  link: RedisLink
  keys: Keys
  origin: string
  now: () => number
  status: () => SharingStatus
}

export class RedisPoolState implements PoolSharing {
  private target: SharingTarget | undefined
  /** Per member: the verdict last published or adopted, and its stamp. */
  private readonly known = new Map<string, { view: string; at: number }>()
  /** Per session: the assignment last written or received (bounded like the local sessions). */
  private readonly sessionsShared = new Map<string, { uuid: string; at: number }>()

  constructor(private readonly options: PoolStateOptions) {}

  attach(target: SharingTarget): void {
    this.target = target
  }

  status(): SharingStatus {
    return this.options.status()
  }

  sessionId(provider: ProviderId, sessionKey: string): string {
    // 64 bits, as the local session map keeps them: cheap on the request path, and no client text in Redis.
    return BigInt.asUintN(64, BigInt(Bun.hash(`${provider}\u0000${sessionKey}`))).toString(16)
  }

  memberChanged(entry: MemberEntry): void {
    const key = memberKey(entry.provider, entry.uuid)
    const view = JSON.stringify(verdictOf(entry.state))
    const known = this.known.get(key)
    if (known?.view === view) return
    // Strictly increasing per member, even when the clock stands still or steps back.
    const at = Math.max(this.options.now(), (known?.at ?? 0) + 1)
    this.known.set(key, { view, at })
    this.publish(key, view, at)
  }

  sessionServed(id: string, uuid: string, at: number): void {
    // Follow-up requests of a session mostly confirm its member: no Redis traffic for those.
    const last = this.sessionsShared.get(id)
    if (last?.uuid === uuid && at - last.at < SESSION_REWRITE_MS) return
    this.rememberSession(id, uuid, at)
    const { keys, origin } = this.options
    const message = JSON.stringify({ o: origin, t: 's', id, u: uuid, at })
    this.options.link.write(`s:${id}`, async (client) => {
      await client.send('SET', [keys.session(id), `${at}|${uuid}`, 'PX', String(SESSION_TTL_MS)])
      await client.publish(keys.channel, message)
    })
  }

  /** A message from the channel (already known not to be this replica's own). */
  receive(message: Record<string, unknown>): void {
    if (message.t === 'm' && typeof message.k === 'string' && typeof message.at === 'number') this.adopt(message.k, message.at, message.v)
    else if (message.t === 's' && typeof message.id === 'string' && typeof message.u === 'string' && typeof message.at === 'number') {
      this.rememberSession(message.id, message.u, message.at)
      this.target?.assignSession(message.id, message.u, message.at, false)
    }
  }

  private rememberSession(id: string, uuid: string, at: number): void {
    this.sessionsShared.delete(id)
    this.sessionsShared.set(id, { uuid, at })
    if (this.sessionsShared.size <= SESSION_MAX_ENTRIES) return
    const oldest = this.sessionsShared.keys().next()
    if (!oldest.done) this.sessionsShared.delete(oldest.value)
  }

  /** After a (re)connect: take what the other replicas decided meanwhile. */
  async load(client: RedisClient): Promise<void> {
    const stored: Record<string, string> = await client.hgetall(this.options.keys.members)
    for (const [key, value] of Object.entries(stored)) {
      const bar = value.indexOf('|')
      const at = Number(value.slice(0, bar))
      if (bar < 0 || !Number.isFinite(at)) continue
      try {
        this.adopt(key, at, JSON.parse(value.slice(bar + 1)))
      } catch {
        // A corrupt field is skipped; the next change of that member rewrites it.
      }
    }
    await this.loadSessions(client)
    this.republish()
  }

  /**
   * Writes back every verdict this replica knows (the stamp decides, so older ones change
   * nothing): a Redis that restarted empty gets the pools' state again for later replicas.
   */
  private republish(): void {
    for (const [key, { view, at }] of this.known) this.publish(key, view, at)
  }

  private publish(key: string, view: string, at: number): void {
    const { keys, origin } = this.options
    const message = `{"o":${JSON.stringify(origin)},"t":"m","k":${JSON.stringify(key)},"at":${at},"v":${view}}`
    this.options.link.write(`m:${key}`, (client) => client.eval(NEWER_WINS, 2, keys.members, keys.channel, key, at, view, message))
  }

  private async loadSessions(client: RedisClient): Promise<void> {
    const { keys } = this.options
    let cursor = '0'
    do {
      const [next, found] = (await client.send('SCAN', [cursor, 'MATCH', keys.session('*'), 'COUNT', String(SESSION_SCAN_COUNT)])) as [string, string[]]
      cursor = next
      if (found.length === 0) continue
      const values = (await client.send('MGET', found)) as (string | null)[]
      found.forEach((key, index) => {
        const value = values[index]
        const bar = value?.indexOf('|') ?? -1
        if (value === null || value === undefined || bar < 0) return
        const at = Number(value.slice(0, bar))
        if (Number.isFinite(at)) this.target?.assignSession(keys.sessionIdOf(key), value.slice(bar + 1), at, true)
      })
    } while (cursor !== '0')
  }

  private adopt(key: string, at: number, value: unknown): void {
    const known = this.known.get(key)
    if (known !== undefined && known.at >= at) return
    const verdict = parseVerdict(value)
    const slash = key.indexOf('/')
    const entry = verdict === undefined || slash < 0 ? undefined : this.target?.entry(key.slice(0, slash), key.slice(slash + 1))
    if (entry === undefined || verdict === undefined) return
    Object.assign(entry.state, verdict)
    this.known.set(key, { view: JSON.stringify(verdictOf(entry.state)), at })
    this.target?.changed()
  }
}

function memberKey(provider: string, uuid: string): string {
  return `${provider}/${uuid}`
}

function parseVerdict(value: unknown): SharedVerdict | undefined {
  if (!isRecord(value)) return undefined
  const { breaker, consecutiveFailures, cooldownUntil, cooldownCause, lastError, lastCheck } = value
  if (breaker !== 'closed' && breaker !== 'open' && breaker !== 'half-open') return undefined
  if (typeof consecutiveFailures !== 'number' || !Number.isInteger(consecutiveFailures) || consecutiveFailures < 0) return undefined
  const time = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)
  return {
    breaker,
    consecutiveFailures,
    cooldownUntil: time(cooldownUntil),
    cooldownCause: COOLDOWN_CAUSES.find((cause) => cause === cooldownCause) ?? null,
    lastError: typeof lastError === 'string' ? lastError : null,
    lastCheck: time(lastCheck),
  }
}
