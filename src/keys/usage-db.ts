// Usage per key, provider, model and UTC day in an embedded SQLite database (bun:sqlite, in
// the binary). Requests add to an in-memory batch; the batch is written in one transaction
// off the request path (every second and at shutdown). WAL mode: a crash loses at most the
// batch not yet written and never corrupts the file.
import { Database } from 'bun:sqlite'
import { utcDay } from './counters.ts'

export interface UsageRow {
  day: string
  key: string
  provider: string
  model: string
  requests: number
  inputTokens: number
  outputTokens: number
  errors: number
}

export interface UsageQuery {
  from?: string
  to?: string
  key?: string
}

export class UsageDb {
  private readonly db: Database
  private pending = new Map<string, UsageRow>()

  constructor(path: string) {
    this.db = new Database(path, { create: true, strict: true })
    this.db.run('PRAGMA journal_mode = WAL')
    this.db.run('PRAGMA synchronous = NORMAL')
    this.db.run(`CREATE TABLE IF NOT EXISTS usage (
      day TEXT NOT NULL, key TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL,
      requests INTEGER NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, errors INTEGER NOT NULL,
      PRIMARY KEY (day, key, provider, model))`)
  }

  /** Adds one finished request to the batch. */
  record(entry: { key: string; provider: string; model: string; inputTokens: number; outputTokens: number; error: boolean }, now: number): void {
    const day = utcDay(now)
    const id = `${day}\u0000${entry.key}\u0000${entry.provider}\u0000${entry.model}`
    let row = this.pending.get(id)
    if (row === undefined) {
      row = { day, key: entry.key, provider: entry.provider, model: entry.model, requests: 0, inputTokens: 0, outputTokens: 0, errors: 0 }
      this.pending.set(id, row)
    }
    row.requests++
    row.inputTokens += entry.inputTokens
    row.outputTokens += entry.outputTokens
    if (entry.error) row.errors++
  }

  /** Writes the batch in one transaction. */
  flush(): void {
    if (this.pending.size === 0) return
    const rows = [...this.pending.values()]
    this.pending = new Map()
    const upsert = this.db.prepare(`INSERT INTO usage VALUES ($day, $key, $provider, $model, $requests, $inputTokens, $outputTokens, $errors)
      ON CONFLICT (day, key, provider, model) DO UPDATE SET requests = requests + excluded.requests,
      input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens, errors = errors + excluded.errors`)
    this.db.transaction(() => {
      for (const row of rows) upsert.run({ ...row })
    })()
  }

  /** Rows in day order (written ones; call `flush` first for the latest). */
  query(query: UsageQuery): UsageRow[] {
    const clauses: string[] = []
    const params: Record<string, string> = {}
    if (query.from) {
      clauses.push('day >= $from')
      params.from = query.from
    }
    if (query.to) {
      clauses.push('day <= $to')
      params.to = query.to
    }
    if (query.key) {
      clauses.push('key = $key')
      params.key = query.key
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''
    return this.db
      .query(
        `SELECT day, key, provider, model, requests, input_tokens AS inputTokens, output_tokens AS outputTokens, errors FROM usage ${where} ORDER BY day, key, provider, model`,
      )
      .all(params) as UsageRow[]
  }

  /** Tokens (input + output) each key spent on a UTC day, for budgets after a restart. */
  tokensOn(day: string): Map<string, number> {
    const rows = this.db.query('SELECT key, SUM(input_tokens + output_tokens) AS tokens FROM usage WHERE day = $day GROUP BY key').all({ day }) as {
      key: string
      tokens: number
    }[]
    return new Map(rows.map((row) => [row.key, row.tokens]))
  }

  close(): void {
    this.flush()
    this.db.close()
  }
}
