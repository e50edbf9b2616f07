// kill -9 in the middle of a load: the usage database stays readable (WAL), and loses at most
// the batch that was not written yet.
import { afterAll, expect, test } from 'bun:test'
import { Database } from 'bun:sqlite'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from '../helpers/cli.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const dir = tempDir('sb-keys-crash-')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('kill -9 under load leaves a usage database that opens and passes an integrity check', async () => {
  const KEY = 'sk-crash-client-000000'
  writeFileSync(join(dir, 'keys.json'), JSON.stringify({ keys: [{ name: 'crash', key: KEY }] }))
  const db = join(dir, 'usage.db')
  const run = await runCli(['--port', '0', '--api-key', 'master-key-0123456789', '--client-keys-file', join(dir, 'keys.json'), '--usage-db', db], dir)
  if (run.exited) throw new Error(run.stderr)
  const ask = () =>
    fetch(`http://127.0.0.1:${run.port}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'count me' }] }),
    }).then(
      (res) => res.status,
      () => 0,
    )
  // Enough finished requests that at least one batch (flushed every second) may be on disk, then
  // more in flight when the process dies.
  let done = 0
  const started = performance.now()
  while (performance.now() - started < 1_500) if ((await ask()) === 200) done++
  const inFlight = Array.from({ length: 20 }, ask)
  run.terminate('SIGKILL')
  await Promise.all(inFlight)
  expect(await run.exit).not.toBe(0)
  const reopened = new Database(db)
  expect(reopened.query('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' })
  const row = reopened.query("SELECT SUM(requests) AS requests FROM usage WHERE key = 'crash'").get() as { requests: number | null }
  expect(row.requests ?? 0).toBeLessThanOrEqual(done + 20)
  reopened.close()
}, 30_000)
