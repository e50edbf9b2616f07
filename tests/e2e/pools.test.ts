// Pools through the running gateway: several fake upstreams behind one provider, real
// HTTP, a seeded random source; health passes and reloads are triggered directly.
import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PoolsRuntime } from '../../src/pools/index.ts'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { seededRandom } from '../helpers/chunks.ts'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const KEYS = { a: 'sk-member-a-secret-1', b: 'sk-member-b-secret-2', c: 'sk-member-c-secret-3' }
let fakes: Record<'a' | 'b' | 'c', FakeOpenAI>
let gw: TestGateway | undefined

// Fresh upstreams per test, so no scripted answer leaks from one test into the next.
beforeEach(async () => {
  fakes = { a: await startFakeOpenAI({ apiKey: KEYS.a }), b: await startFakeOpenAI({ apiKey: KEYS.b }), c: await startFakeOpenAI({ apiKey: KEYS.c }) }
})
afterEach(async () => {
  await gw?.stop()
  gw = undefined
  for (const fake of Object.values(fakes)) await fake.stop()
})

type Member = { uuid: string; fake: 'a' | 'b' | 'c'; weight?: number }

function poolsFile(members: Member[]): string {
  const dir = tempDir('sb-pools-')
  const path = join(dir, 'provider_pools.json')
  writePools(path, members)
  return path
}

function writePools(path: string, members: Member[]): void {
  const entries = members.map(({ uuid, fake, weight }) => ({
    uuid,
    OPENAI_API_KEY: KEYS[fake],
    OPENAI_BASE_URL: fakes[fake].url,
    ...(weight ? { weight } : {}),
  }))
  writeFileSync(path, `${JSON.stringify({ 'openai-custom': entries }, null, 2)}\n`)
}

async function start(path: string): Promise<TestGateway> {
  gw = await startGateway({ MODEL_PROVIDER: 'openai-custom', PROVIDER_POOLS_FILE_PATH: path }, { random: seededRandom(7) })
  return gw
}

const pools = (g: TestGateway) => g.gateway.pools as PoolsRuntime

async function ask(g: TestGateway, text = 'hi') {
  const res = await post(g, '/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: text }] })
  return {
    status: res.status,
    instance: res.headers.get('x-switchboard-instance'),
    attempts: res.headers.get('x-switchboard-attempts'),
    body: await res.text(),
  }
}

async function shares(g: TestGateway, n: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (let i = 0; i < n; i++) {
    const { instance } = await ask(g)
    counts[instance ?? '?'] = (counts[instance ?? '?'] ?? 0) + 1
  }
  return counts
}

describe('pools through the gateway', () => {
  test('weights 3:1 at equal latency split traffic about 75/25', async () => {
    const g = await start(
      poolsFile([
        { uuid: 'heavy', fake: 'a', weight: 3 },
        { uuid: 'light', fake: 'b', weight: 1 },
      ]),
    )
    const counts = await shares(g, 300)
    console.log('weights 3:1 →', counts)
    expect((counts.heavy ?? 0) / 300).toBeGreaterThan(0.6)
    expect((counts.heavy ?? 0) / 300).toBeLessThan(0.9)
  })

  test('a member 200 ms slower than its peer gets under 15 % of traffic', async () => {
    const g = await start(
      poolsFile([
        { uuid: 'fast', fake: 'a' },
        { uuid: 'slow', fake: 'b' },
      ]),
    )
    for (let i = 0; i < 60; i++) fakes.b.enqueue({ kind: 'delay', ms: 200, then: { kind: 'text' } })
    const counts = await shares(g, 60)
    console.log('200 ms slower →', counts)
    expect((counts.slow ?? 0) / 60).toBeLessThan(0.15)
  })

  test('a 5xx fails over: the client sees success and attempts > 1, and the member key used is the member’s', async () => {
    const g = await start(
      poolsFile([
        { uuid: 'one', fake: 'a' },
        { uuid: 'two', fake: 'b' },
      ]),
    )
    fakes.a.enqueue({ kind: 'status', status: 500 })
    fakes.b.enqueue({ kind: 'status', status: 500 })
    const res = await ask(g, 'failover please')
    expect(res.status).toBe(200)
    expect(res.body).toContain('failover please')
    expect(Number(res.attempts)).toBeGreaterThan(1)
    const served = res.instance === 'one' ? fakes.a : fakes.b
    expect(served.journal.at(-1)?.headers.authorization).toBe(`Bearer ${res.instance === 'one' ? KEYS.a : KEYS.b}`)
  })

  test('a 429 with Retry-After cools the member down, the other member takes the traffic, and a health check brings it back', async () => {
    const g = await start(
      poolsFile([
        { uuid: 'limited', fake: 'a' },
        { uuid: 'spare', fake: 'b' },
      ]),
    )
    fakes.a.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '120' } })
    while (fakes.a.pending() > 0) expect((await ask(g)).status).toBe(200)
    const snapshot = (await (await fetch(`${g.url}/pools`, { headers: { 'x-api-key': g.key } })).json()) as Record<
      string,
      Array<{ uuid: string; cooldownUntil: string | null }>
    >
    expect(snapshot['openai-custom']?.find((member) => member.uuid === 'limited')?.cooldownUntil).not.toBeNull()
    const cooling = await shares(g, 20)
    expect(cooling.limited).toBeUndefined()
    expect(cooling.spare).toBe(20)
    await pools(g).runHealthPass()
    const recovered = await shares(g, 60)
    expect(recovered.limited ?? 0).toBeGreaterThan(0)
  })

  test('hot reload adds a member, keeps the state of unchanged ones, and never touches the pools file', async () => {
    const path = poolsFile([{ uuid: 'first', fake: 'a' }])
    const g = await start(path)
    await shares(g, 5)
    const before = (
      (await (await fetch(`${g.url}/pools`, { headers: { 'x-api-key': g.key } })).json()) as Record<string, Array<{ uuid: string; requests: number }>>
    )['openai-custom']
    expect(before?.[0]?.requests).toBe(5)
    writePools(path, [
      { uuid: 'first', fake: 'a' },
      { uuid: 'second', fake: 'c' },
    ])
    const written = readFileSync(path)
    expect(pools(g).reload()).toBe(true)
    const counts = await shares(g, 40)
    expect(counts.second ?? 0).toBeGreaterThan(0)
    const after = (
      (await (await fetch(`${g.url}/pools`, { headers: { 'x-api-key': g.key } })).json()) as Record<string, Array<{ uuid: string; requests: number }>>
    )['openai-custom']
    expect(after?.find((member) => member.uuid === 'first')?.requests).toBe(5 + (counts.first ?? 0))
    writeFileSync(path, '{ broken')
    expect(pools(g).reload()).toBe(false)
    expect((await ask(g)).status).toBe(200)
    writeFileSync(path, written)
    pools(g).flushState()
    expect(readFileSync(path).equals(written)).toBe(true)
  })

  test('the state file holds runtime state, no secrets; /pools shows no secrets', async () => {
    const path = poolsFile([
      { uuid: 'alpha', fake: 'a' },
      { uuid: 'beta', fake: 'b' },
    ])
    const g = await start(path)
    fakes.a.enqueue({ kind: 'status', status: 401 })
    await shares(g, 10)
    pools(g).flushState()
    const state = readFileSync(path.replace(/\.json$/, '.state.json'), 'utf8')
    expect(state).toContain('alpha')
    const view = await (await fetch(`${g.url}/pools`, { headers: { 'x-api-key': g.key } })).text()
    for (const secret of [KEYS.a, KEYS.b, g.key]) {
      expect(state).not.toContain(secret)
      expect(view).not.toContain(secret)
      expect(g.logs.join('\n')).not.toContain(secret)
    }
  })
})
