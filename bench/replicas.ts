// `npm run bench:replicas`: what sharing state through Redis costs and how fast it is, on
// loopback with a real redis-server (Debian package).
// 1. Propagation: two replica processes; each request on A fails on its only member (a
//    500 upstream), which changes the member's verdict; the time from A sharing it to B
//    adopting it, over BENCH_CHANGES (200) changes, p50/p99/max.
// 2. Request-path cost: the same gateway (local-echo, with a sticky-session header) with
//    and without --redis-url, measured alternately for BENCH_ROUNDS rounds of BENCH_SECONDS.
// The machine may be shared with other work: figures are indicative.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { percentile } from '../tests/replicas/helpers.ts'
import { startRedis } from '../tests/helpers/redis-server.ts'
import { chooseLoadGenerator, type LoadResult } from './load.ts'
import { detectPinning, launch, pinSelf } from './servers.ts'

const CHANGES = Number(process.env.BENCH_CHANGES ?? 200)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32)
const KEY = 'bench-replicas-key-0123456789'
const repo = resolve(import.meta.dir, '..')
const workDir = mkdtempSync(join(tmpdir(), 'sb-bench-replicas-'))

/** stdout of a process as lines, awaited one at a time. */
function lines(stream: ReadableStream<Uint8Array>): () => Promise<string> {
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  const ready: string[] = []
  let rest = ''
  return async () => {
    while (ready.length === 0) {
      const { done, value } = await reader.read()
      if (done) throw new Error('the replica exited')
      const parts = (rest + decoder.decode(value, { stream: true })).split('\n')
      rest = parts.pop() ?? ''
      ready.push(...parts.filter((line) => line !== ''))
    }
    return ready.shift() as string
  }
}

async function replica(flags: string[]) {
  const child = Bun.spawn(['bun', join(repo, 'bench/replica-worker.ts'), ...flags], { cwd: workDir, stdout: 'pipe', stderr: 'inherit' })
  const next = lines(child.stdout)
  const banner = await next()
  const url = /listening on (\S+)/.exec(banner)?.[1]
  if (url === undefined) throw new Error(`unexpected replica output: ${banner}`)
  /** The time on the next line that starts with `word`. */
  const timeOf = async (word: string) => {
    for (;;) {
      const [seen, ms] = (await next()).split(' ')
      if (seen === word) return Number(ms)
    }
  }
  return { url, timeOf, stop: () => child.kill('SIGTERM') }
}

async function propagation(redisUrl: string): Promise<number[]> {
  const upstream = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: () => Response.json({ error: { message: 'bench failure', type: 'server_error' } }, { status: 500 }),
  })
  const flags = [
    ...['--api-key', KEY, '--model-provider', 'openai-custom', '--openai-api-key', 'sk-bench-upstream-0123456789'],
    ...['--openai-base-url', `http://127.0.0.1:${upstream.port}/v1`, '--request-max-retries', '0', '--pool-failure-threshold', '1000'],
    ...['--redis-url', redisUrl],
  ]
  const a = await replica(flags)
  const b = await replica(flags)
  const delays: number[] = []
  try {
    for (let i = 0; i < CHANGES; i++) {
      const changed = a.timeOf('changed')
      const adopted = b.timeOf('adopted')
      const response = await fetch(`${a.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
      })
      await response.text()
      delays.push((await adopted) - (await changed))
    }
  } finally {
    a.stop()
    b.stop()
    upstream.stop(true)
  }
  return delays.sort((x, y) => x - y)
}

async function requestCost(redisUrl: string): Promise<{ off: LoadResult[]; on: LoadResult[]; generator: string }> {
  const pinning = detectPinning()
  pinSelf(pinning)
  const generator = chooseLoadGenerator(pinning, workDir, repo)
  const base = ['bun', join(repo, 'src/index.ts'), '--port', '0', '--api-key', KEY, '--model-provider', 'local-echo']
  const start = (name: string, extra: string[]) => launch({ name, argv: [...base, ...extra], cwd: workDir, logDir: workDir, pinning })
  const off = await start('redis-off', [])
  const on = await start('redis-on', ['--redis-url', redisUrl])
  const spec = (url: string) => ({
    url: `${url}/v1/chat/completions`,
    connections: CONNECTIONS,
    seconds: SECONDS,
    body: JSON.stringify({ model: 'local-echo', messages: [{ role: 'user', content: 'hello' }] }),
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-session-id': 'bench-session' },
  })
  const results = { off: [] as LoadResult[], on: [] as LoadResult[], generator: generator.name }
  try {
    // Warm-up, then alternate so drift on a shared machine hits both alike.
    await generator.run({ ...spec(off.url), seconds: 1 })
    await generator.run({ ...spec(on.url), seconds: 1 })
    for (let round = 0; round < ROUNDS; round++) {
      results.off.push(await generator.run(spec(off.url)))
      results.on.push(await generator.run(spec(on.url)))
    }
  } finally {
    await off.stop()
    await on.stop()
  }
  return results
}

const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? Number.NaN
const round = (value: number, digits = 2) => Number(value.toFixed(digits))

const redis = await startRedis()
try {
  const delays = await propagation(redis.url)
  console.log(
    `propagation over ${delays.length} changes (A shares → B adopts, ms): p50 ${round(percentile(delays, 50))}, p99 ${round(percentile(delays, 99))}, max ${round(delays.at(-1) ?? Number.NaN)}`,
  )
  const cost = await requestCost(redis.url)
  const rps = (results: LoadResult[]) => median(results.map((r) => r.rps))
  const p50 = (results: LoadResult[]) => median(results.map((r) => r.p50))
  const failures = [...cost.off, ...cost.on].reduce((sum, r) => sum + r.non2xx + r.errors, 0)
  console.log(`request path (${cost.generator}, ${CONNECTIONS} connections, median of ${ROUNDS} × ${SECONDS} s, local-echo with x-session-id):`)
  console.log(`  Redis off: ${Math.round(rps(cost.off))} req/s, p50 ${round(p50(cost.off))} ms`)
  console.log(`  Redis on:  ${Math.round(rps(cost.on))} req/s, p50 ${round(p50(cost.on))} ms (${round((rps(cost.on) / rps(cost.off) - 1) * 100, 1)} %)`)
  if (failures > 0) console.log(`  ${failures} requests failed`)
} finally {
  await redis.stop()
  rmSync(workDir, { recursive: true, force: true })
}
