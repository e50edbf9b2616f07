// Client keys (CLIENT_KEYS_FILE_PATH): who a presented key belongs to, whether it may be used
// right now (disabled, expired, rpm/tpm/daily limits), and what it spent. The keys file is
// hot-reloaded (an invalid edit keeps the previous keys); usage goes to the SQLite database.
import type { GatewayError } from '../errors/gateway-error.ts'
import { unauthorized } from '../errors/gateway-error.ts'
import type { Logger } from '../log.ts'
import type { Cancel, Scheduler } from '../pools/scheduler.ts'
import { watchFile } from '../pools/watch.ts'
import { type KeyCounters, MemoryCounters, utcDay } from './counters.ts'
import { type ClientKey, loadKeysFile, sha256Hex } from './keys-file.ts'
import { UsageDb } from './usage-db.ts'

/** Usage of the master key (REQUIRED_API_KEY) is recorded under this name. */
export const MASTER_KEY_NAME = 'master'
const FLUSH_EVERY_MS = 1_000

/** What a finished request reports for usage and budgets. */
export interface FinishedRequest {
  clientKey?: ClientKey
  provider?: string
  model?: string
  inputTokens?: number
  outputTokens?: number
  status?: number
}

export interface ClientKeysOptions {
  path: string
  usageDbPath: string
  log: Logger
  now: () => number
  scheduler: Scheduler
  counters?: KeyCounters
}

export class ClientKeys {
  private byHash = new Map<string, ClientKey>()
  readonly usage: UsageDb
  private readonly counters: KeyCounters
  private readonly stops: Cancel[] = []

  /** Throws KeysFileError on a bad file: startup stops with its one-line message. */
  constructor(private readonly options: ClientKeysOptions) {
    this.adopt(loadKeysFile(options.path))
    this.usage = new UsageDb(options.usageDbPath)
    this.counters = options.counters ?? new MemoryCounters()
    // Budgets keep counting across restarts: today's spend so far comes from the database.
    const now = options.now()
    for (const [name, tokens] of this.usage.tokensOn(utcDay(now))) this.counters.seedDaily(name, tokens, now)
  }

  start(): void {
    this.stops.push(watchFile(this.options.path, () => this.reload(), this.options.scheduler, this.options.log))
    this.stops.push(this.options.scheduler.every(FLUSH_EVERY_MS, () => void this.flush()))
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop()
    this.usage.close()
  }

  get size(): number {
    return this.byHash.size
  }

  /** The client key a presented key is, or undefined (not a client key). */
  identify(presented: string): ClientKey | undefined {
    return this.byHash.get(sha256Hex(presented))
  }

  /** Why the key may not be used now (401 disabled/expired, 429 over a limit), or undefined after counting the request. */
  admit(key: ClientKey): GatewayError | undefined {
    const now = this.options.now()
    if (key.disabled) return unauthorized(`Unauthorized: key ${key.name} is disabled`, { scope: 'request' })
    if (key.expiresAt !== undefined && now >= key.expiresAt) return unauthorized(`Unauthorized: key ${key.name} has expired`, { scope: 'request' })
    return this.counters.admit(key, now)
  }

  /** Records a finished API request: usage for everyone, budgets for client keys. */
  finished(request: FinishedRequest): void {
    const now = this.options.now()
    const tokens = (request.inputTokens ?? 0) + (request.outputTokens ?? 0)
    const name = request.clientKey?.name ?? MASTER_KEY_NAME
    if (request.clientKey && tokens > 0) this.counters.charge(name, tokens, now)
    this.usage.record(
      {
        key: name,
        provider: request.provider ?? '-',
        model: request.model ?? '-',
        inputTokens: request.inputTokens ?? 0,
        outputTokens: request.outputTokens ?? 0,
        error: (request.status ?? 200) >= 400,
      },
      now,
    )
  }

  /** Today's (UTC) usage per key name, written rows and the pending batch alike. */
  todayByKey(): { key: string; requests: number; inputTokens: number; outputTokens: number; errors: number }[] {
    this.flush()
    const totals = new Map<string, { key: string; requests: number; inputTokens: number; outputTokens: number; errors: number }>()
    for (const row of this.usage.query({ from: utcDay(this.options.now()) })) {
      const total = totals.get(row.key) ?? { key: row.key, requests: 0, inputTokens: 0, outputTokens: 0, errors: 0 }
      total.requests += row.requests
      total.inputTokens += row.inputTokens
      total.outputTokens += row.outputTokens
      total.errors += row.errors
      totals.set(row.key, total)
    }
    return [...totals.values()].sort((a, b) => b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens))
  }

  flush(): void {
    try {
      this.usage.flush()
    } catch (error) {
      this.options.log.error(`usage: could not write ${this.options.usageDbPath}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  reload(): void {
    try {
      this.adopt(loadKeysFile(this.options.path))
      this.options.log.info(`client keys: reloaded ${this.byHash.size} key(s)`)
    } catch (error) {
      this.options.log.error(`client keys: keeping the previous keys: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  private adopt(keys: ClientKey[]): void {
    this.byHash = new Map(keys.map((key) => [key.hash, key]))
  }
}
