// The connection to Redis, kept off the request path: one client for commands, one for the
// subscription (a subscribed connection cannot run commands). Writes are fire-and-forget
// through a bounded outbox that keeps only the latest write per key while Redis is away or
// slow. Lost connections are logged once and retried with back-off; every (re)connect runs
// `onConnected` so the replica pushes what it learnt alone and adopts what others did.
import { RedisClient } from 'bun'
import type { Logger } from '../log.ts'
import type { RedisTarget } from './redis-url.ts'

export const RECONNECT_MIN_MS = 100
export const RECONNECT_MAX_MS = 3_000
/** Writes sent and not yet answered; beyond this they wait in the outbox. */
export const MAX_WRITES_IN_FLIGHT = 256
/** Keys held while Redis is unreachable; the oldest go first beyond this. */
export const MAX_OUTBOX = 10_000
const CONNECT_TIMEOUT_MS = 2_000
/** A command someone waits for (the refresh lock) gives up after this: a hung Redis must not hang a request. */
export const COMMAND_TIMEOUT_MS = 1_000
/** How often a connected link checks that Redis still answers (a frozen server keeps its sockets open). */
export const HEARTBEAT_MS = 1_000

export type Write = (client: RedisClient) => Promise<unknown>

export interface LinkOptions {
  target: RedisTarget
  channel: string
  log: Logger
  onMessage: (message: string) => void
  /** Runs after every (re)connect, before the link counts as up for new writes' ordering. */
  onConnected: (client: RedisClient) => Promise<void>
}

export class RedisLink {
  private commands: RedisClient | undefined
  private subscriber: RedisClient | undefined
  private up = false
  private stopped = false
  private failures = 0
  private everUp = false
  private retry: ReturnType<typeof setTimeout> | undefined
  private heartbeat: ReturnType<typeof setInterval> | undefined
  private inFlight = 0
  private readonly outbox = new Map<string, Write>()
  private droppedSinceUp = 0

  constructor(private readonly options: LinkOptions) {}

  get reachable(): boolean {
    return this.up
  }

  start(): void {
    void this.connect()
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.retry)
    this.up = false
    this.closeClients()
  }

  /** Sends now when connected and not backed up; otherwise keeps the latest write for `key`. */
  write(key: string, write: Write): void {
    if (this.stopped) return
    const client = this.commands
    if (!this.up || client === undefined || this.inFlight >= MAX_WRITES_IN_FLIGHT || this.outbox.size > 0) {
      this.hold(key, write)
      return
    }
    this.send(client, key, write)
  }

  /** A command whose answer the caller needs: undefined at once when Redis is not reachable, or after COMMAND_TIMEOUT_MS. */
  async command<T>(run: (client: RedisClient) => Promise<T>): Promise<T | undefined> {
    const client = this.commands
    if (!this.up || client === undefined) return undefined
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), COMMAND_TIMEOUT_MS)
    })
    try {
      return await Promise.race([run(client).catch(() => undefined), timedOut])
    } finally {
      clearTimeout(timer)
    }
  }

  private send(client: RedisClient, key: string, write: Write): void {
    this.inFlight++
    write(client)
      .catch(() => {
        // Lost on the way (the connection dropped): a newer write for the key wins, else retry later.
        if (!this.outbox.has(key)) this.hold(key, write)
      })
      .finally(() => {
        this.inFlight--
        this.drain()
      })
  }

  private hold(key: string, write: Write): void {
    this.outbox.delete(key)
    this.outbox.set(key, write)
    if (this.outbox.size <= MAX_OUTBOX) return
    const oldest = this.outbox.keys().next()
    if (!oldest.done) this.outbox.delete(oldest.value)
    if (this.droppedSinceUp++ === 0) this.options.log.warn(`redis: more than ${MAX_OUTBOX} changes waiting for Redis; the oldest are dropped`)
  }

  private drain(): void {
    const client = this.commands
    while (this.up && client !== undefined && this.inFlight < MAX_WRITES_IN_FLIGHT && this.outbox.size > 0) {
      const next = this.outbox.entries().next()
      if (next.done) return
      const [key, write] = next.value
      this.outbox.delete(key)
      this.send(client, key, write)
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return
    const { target, channel, log } = this.options
    const clientOptions = { autoReconnect: false, enableOfflineQueue: false, connectionTimeout: CONNECT_TIMEOUT_MS }
    const commands = new RedisClient(target.url, clientOptions)
    const subscriber = new RedisClient(target.url, clientOptions)
    this.commands = commands
    this.subscriber = subscriber
    try {
      await commands.connect()
      await subscriber.connect()
      await subscriber.subscribe(channel, (message) => this.options.onMessage(message))
      commands.onclose = subscriber.onclose = () => this.lost(commands)
      await this.options.onConnected(commands)
    } catch (error) {
      if (this.commands !== commands) return
      this.closeClients()
      this.failed(error)
      return
    }
    if (this.stopped || this.commands !== commands) return
    this.up = true
    this.failures = 0
    this.droppedSinceUp = 0
    log.info(
      this.everUp ? `redis: reconnected to ${target.label}; sharing resumes` : `redis: connected to ${target.label}; state is shared with the other replicas`,
      {
        event: 'redis',
        reachable: true,
      },
    )
    this.everUp = true
    this.heartbeat = setInterval(() => void this.checkAlive(commands), HEARTBEAT_MS)
    this.heartbeat.unref?.()
    this.drain()
  }

  private async checkAlive(client: RedisClient): Promise<void> {
    if (this.commands !== client || !this.up) return
    if ((await this.command((c) => c.ping())) === undefined) this.lost(client)
  }

  private lost(client: RedisClient): void {
    if (this.commands !== client || this.stopped) return
    const wasUp = this.up
    this.up = false
    this.closeClients()
    if (wasUp) {
      this.options.log.warn(`redis: lost the connection to ${this.options.target.label}; this replica goes on with its own state and reconnects`, {
        event: 'redis',
        reachable: false,
      })
    }
    this.schedule()
  }

  private failed(error: unknown): void {
    // Once per outage: the first failed attempt, not every retry.
    if (this.failures === 0 && !this.stopped) {
      const reason = error instanceof Error ? error.message : String(error)
      this.options.log.warn(`redis: cannot reach ${this.options.target.label} (${reason}); state is not shared until it can`, {
        event: 'redis',
        reachable: false,
      })
    }
    this.schedule()
  }

  private schedule(): void {
    if (this.stopped) return
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** this.failures)
    this.failures++
    clearTimeout(this.retry)
    this.retry = setTimeout(() => void this.connect(), delay * (0.75 + Math.random() / 2))
    this.retry.unref?.()
  }

  private closeClients(): void {
    clearInterval(this.heartbeat)
    const { commands, subscriber } = this
    this.commands = undefined
    this.subscriber = undefined
    for (const client of [commands, subscriber]) {
      if (client === undefined) continue
      client.onclose = null
      try {
        client.close()
      } catch {
        // Already closed.
      }
    }
  }
}
