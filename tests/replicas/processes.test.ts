// Replicas as real gateway processes (the CLI, as users run it) sharing one redis-server: a
// rate limit met by A rests the member on B, and a replica started afterwards adopts it
// before it serves anything.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { runCli } from '../helpers/cli.ts'
import { describeWithRedis, startRedis, type TestRedis } from '../helpers/redis.ts'
import { until } from './helpers.ts'

const KEY = 'sk-processes-test-0123456789'
const CLIENT_KEY = 'processes-client-key-0123456789'

describeWithRedis('replicas as separate processes', () => {
  let redis: TestRedis
  let fake: FakeOpenAI
  const stops: (() => Promise<number>)[] = []

  beforeAll(async () => {
    redis = await startRedis()
    fake = await startFakeOpenAI({ apiKey: KEY })
  })
  afterAll(async () => {
    for (const stop of stops) await stop()
    await fake.stop()
    await redis.stop()
  })

  async function replica(): Promise<string> {
    const run = await runCli([
      ...['--port', '0', '--api-key', CLIENT_KEY, '--model-provider', 'openai-custom', '--openai-api-key', KEY],
      ...['--openai-base-url', fake.url, '--request-max-retries', '0', '--redis-url', redis.url],
    ])
    if (run.exited) throw new Error(`the replica exited: ${run.stderr}`)
    stops.push(run.stop)
    const url = `http://127.0.0.1:${run.port}`
    await until(
      async () => ((await (await fetch(`${url}/health`)).json()) as { sharing?: { redisReachable: boolean } }).sharing?.redisReachable === true,
      'Redis',
    )
    return url
  }

  const cooldownOf = async (url: string) => {
    const pools = (await (await fetch(`${url}/pools`, { headers: { authorization: `Bearer ${CLIENT_KEY}` } })).json()) as Record<
      string,
      { cooldownUntil: string | null }[]
    >
    return pools['openai-custom']?.[0]?.cooldownUntil ?? null
  }
  const chat = (url: string) =>
    fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    })

  test('a rate limit on process A rests the member on process B; a process started later adopts the rest', async () => {
    const a = await replica()
    const b = await replica()
    fake.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '300' } })
    const limited = await chat(a)
    expect(limited.status).toBe(429)
    await limited.text()
    const restUntil = await cooldownOf(a)
    expect(restUntil).not.toBeNull()
    await until(async () => (await cooldownOf(b)) === restUntil, 'B to rest the member')

    const upstreamCalls = fake.journal.length
    const resting = await chat(b)
    expect(resting.status).toBe(503)
    await resting.text()
    expect(fake.journal.length).toBe(upstreamCalls)

    const late = await replica()
    expect(await cooldownOf(late)).toBe(restUntil)
  })
})
