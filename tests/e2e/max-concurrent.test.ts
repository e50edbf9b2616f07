// Per-member maxConcurrent through the running gateway: the fakes hold their first answers
// at a gate and record their own peak of requests in flight; the gateway's /pools shows the
// limit and the queue.
import { afterEach, describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Anthropic from '@anthropic-ai/sdk'
import type { AppConfig } from '../../src/config/schema.ts'
import type { MemberSnapshot } from '../../src/pools/types.ts'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const KEY = 'sk-concurrency-member-key'
let fakes: FakeOpenAI[] = []
let gw: TestGateway | undefined

afterEach(async () => {
  await gw?.stop()
  gw = undefined
  for (const fake of fakes) await fake.stop()
  fakes = []
})

async function start(limits: number[], config: Partial<AppConfig> = {}): Promise<TestGateway> {
  fakes = await Promise.all(limits.map(() => startFakeOpenAI({ apiKey: KEY })))
  const members = fakes.map((fake, i) => ({ uuid: `m${i}`, OPENAI_API_KEY: KEY, OPENAI_BASE_URL: fake.url, maxConcurrent: limits[i] }))
  const path = join(tempDir('sb-concurrency-'), 'provider_pools.json')
  writeFileSync(path, JSON.stringify({ 'openai-custom': members }))
  gw = await startGateway({ MODEL_PROVIDER: 'openai-custom', PROVIDER_POOLS_FILE_PATH: path, ...config })
  return gw
}

function gate() {
  let open = () => {}
  const until = new Promise<void>((resolve) => {
    open = resolve
  })
  return { until, open }
}

const ask = (g: TestGateway, text: string, signal?: AbortSignal, prefix = '') =>
  post(g, `${prefix}/v1/chat/completions`, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] }, {}, signal)

async function members(g: TestGateway): Promise<MemberSnapshot[]> {
  const res = await fetch(`${g.url}/pools`, { headers: { authorization: `Bearer ${g.key}` } })
  return ((await res.json()) as Record<string, MemberSnapshot[]>)['openai-custom'] ?? []
}

/** Waits until /pools satisfies `check` (a condition, not a guessed delay). */
async function poolsUntil(g: TestGateway, check: (members: MemberSnapshot[]) => boolean): Promise<MemberSnapshot[]> {
  for (;;) {
    const seen = await members(g)
    if (check(seen)) return seen
    await Bun.sleep(2)
  }
}

describe('maxConcurrent per member', () => {
  test('50 concurrent clients on two members limited to 2 each: never more than 2 in flight per upstream, the rest wait in order', async () => {
    const g = await start([2, 2])
    const held = gate()
    for (const fake of fakes) fake.enqueue(...[1, 2].map(() => ({ kind: 'gate' as const, until: held.until, then: { kind: 'text' as const } })))
    const answers = Array.from({ length: 50 }, (_, i) => ask(g, `client ${i}`))
    const waiting = await poolsUntil(g, (seen) => seen[0]?.queued === 46)
    expect(waiting.map(({ inFlight, maxConcurrent, queued }) => ({ inFlight, maxConcurrent, queued }))).toEqual([
      { inFlight: 2, maxConcurrent: 2, queued: 46 },
      { inFlight: 2, maxConcurrent: 2, queued: 46 },
    ])
    // Both held requests of each member have reached its upstream: the limit is reached there too.
    await Promise.all(fakes.map((fake) => fake.waitForRequests(2)))
    held.open()
    const results = await Promise.all(answers)
    expect(results.map((res) => res.status)).toEqual(Array(50).fill(200))
    const bodies = await Promise.all(results.map((res) => res.json() as Promise<{ choices: Array<{ message: { content: string } }> }>))
    expect(bodies.map((body) => body.choices[0]?.message.content)).toEqual(Array.from({ length: 50 }, (_, i) => `echo: client ${i}`))
    expect(fakes.map((fake) => fake.peakConcurrent())).toEqual([2, 2])
    expect(fakes[0]!.journal.length + fakes[1]!.journal.length).toBe(50)
    expect((await members(g)).map(({ inFlight, queued }) => ({ inFlight, queued }))).toEqual([
      { inFlight: 0, queued: 0 },
      { inFlight: 0, queued: 0 },
    ])
  })

  test('after QUEUE_TIMEOUT_MS without a free slot: 429 with Retry-After, in the client’s dialect', async () => {
    const g = await start([1], { QUEUE_TIMEOUT_MS: 150 })
    const held = gate()
    fakes[0]!.enqueue({ kind: 'gate', until: held.until, then: { kind: 'text' } })
    const first = ask(g, 'holds the slot')
    await fakes[0]!.waitForRequests(1)
    const client = new Anthropic({ baseURL: g.url, apiKey: g.key, maxRetries: 0 })
    const refused = await client.messages
      .create({ model: 'gpt-4o-mini', max_tokens: 16, messages: [{ role: 'user', content: 'waits' }] })
      .catch((error) => error)
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError)
    expect(refused.headers.get('retry-after')).toBe('1')
    expect(refused.error).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: expect.stringContaining('maxConcurrent limit') } })
    held.open()
    expect((await first).status).toBe(200)
    expect(fakes[0]!.journal.length).toBe(1)
  })

  test('a client that disconnects while queued leaves the queue at once and never reaches the upstream', async () => {
    const g = await start([1])
    const held = gate()
    fakes[0]!.enqueue({ kind: 'gate', until: held.until, then: { kind: 'text' } })
    const first = ask(g, 'holds the slot')
    await fakes[0]!.waitForRequests(1)
    const controller = new AbortController()
    const queued = ask(g, 'gives up', controller.signal).catch((error: Error) => error.name)
    await poolsUntil(g, (seen) => seen[0]?.queued === 1)
    controller.abort()
    expect(await queued).toBe('AbortError')
    await poolsUntil(g, (seen) => seen[0]?.queued === 0)
    held.open()
    expect((await first).status).toBe(200)
    expect((await ask(g, 'next')).status).toBe(200)
    expect(fakes[0]!.journal.map((entry) => (entry.json as { messages: Array<{ content: string }> }).messages[0]?.content)).toEqual(['holds the slot', 'next'])
  })

  test('a model picker does not queue: a provider whose members are all full is left out of the list', async () => {
    const g = await start([1], { MODEL_PROVIDER: 'local-echo' })
    const held = gate()
    fakes[0]!.enqueue({ kind: 'gate', until: held.until, then: { kind: 'text' } })
    const first = ask(g, 'holds the slot', undefined, '/openai-custom')
    await fakes[0]!.waitForRequests(1)
    const listed = await fetch(`${g.url}/v1/models`, { headers: { authorization: `Bearer ${g.key}` } })
    const ids = ((await listed.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id)
    expect(ids).toEqual(['local-echo', 'local-echo/local-echo'])
    held.open()
    expect((await first).status).toBe(200)
    const later = await fetch(`${g.url}/v1/models`, { headers: { authorization: `Bearer ${g.key}` } })
    expect(((await later.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id)).toContain('openai-custom/gpt-4o')
  })
})
