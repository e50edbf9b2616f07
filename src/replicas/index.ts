// Several gateway replicas sharing state through Redis (REDIS_URL): member verdicts, sticky
// sessions and OAuth credentials. Built only when REDIS_URL is set. Requests never wait on
// it: every replica decides from its own memory, which Redis keeps in step by pub/sub.
import type { Logger } from '../log.ts'
import type { SharingStatus } from '../pools/sharing.ts'
import { isRecord } from '../json/read.ts'
import { RedisCredentials } from './credentials.ts'
import { SharedCounters } from './key-counters.ts'
import { Keys } from './keys.ts'
import { SharedResponseStore } from './response-store.ts'
import type { ResponseStore } from '../responses/store.ts'
import { RedisLink } from './link.ts'
import { RedisPoolState } from './pool-state.ts'
import { parseRedisUrl } from './redis-url.ts'

export interface Replicas {
  pools: RedisPoolState
  credentials: RedisCredentials
  /** Client-key rate and budget counters (used when CLIENT_KEYS_FILE_PATH is set). */
  counters: SharedCounters
  /** Stored Responses answers kept in Redis too, around this replica's own store. */
  responses(local: ResponseStore, ttlMs: number): ResponseStore
  status(): SharingStatus
  start(): void
  stop(): void
}

export interface ReplicasOptions {
  url: string
  prefix: string
  log: Logger
  now: () => number
}

/** Throws ConfigError when the URL is unusable. */
export function createReplicas(options: ReplicasOptions): Replicas {
  const target = parseRedisUrl(options.url)
  const keys = new Keys(options.prefix)
  // Tells this replica's own messages apart from the others'.
  const origin = crypto.randomUUID()
  const { now, log } = options
  const link: RedisLink = new RedisLink({
    target,
    channel: keys.channel,
    log,
    onMessage: (text) => dispatch(text),
    onConnected: async (client) => {
      await pools.load(client)
      await credentials.load(client)
      await counters.load(client)
    },
  })
  let changesReceived = 0
  const status = (): SharingStatus => ({ shared: true, redisReachable: link.reachable, redis: target.label, changesReceived })
  const pools = new RedisPoolState({ link, keys, origin, now, status })
  const credentials = new RedisCredentials({ link, keys, origin, now })
  const counters = new SharedCounters({ link, keys, origin, now })

  function dispatch(text: string): void {
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch {
      return
    }
    if (!isRecord(message) || message.o === origin) return
    changesReceived++
    if (message.t === 'm' || message.t === 's') pools.receive(message)
    else if (message.t === 'k') counters.receive(message)
    else credentials.receive(message)
  }

  return {
    pools,
    credentials,
    counters,
    responses: (local, ttlMs) => new SharedResponseStore(local, link, keys, ttlMs),
    status,
    start: () => {
      link.start()
      counters.start()
    },
    stop: () => {
      counters.stop()
      link.stop()
    },
  }
}
