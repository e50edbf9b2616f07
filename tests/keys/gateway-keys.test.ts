// Client keys through the running gateway (local-echo answers, a virtual clock): who gets in,
// in which dialect refusals come, limits, hot reload, usage and its survival across restarts.
import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AppConfig } from '../../src/config/schema.ts'
import { sha256Hex } from '../../src/keys/keys-file.ts'
import { startGateway, type TestGateway } from '../helpers/gateway.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const dir = tempDir('sb-keys-')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const ALICE = 'sk-alice-0123456789abcdef'
const BOB = 'sk-bob-hashed-0123456789'
const CAROL = 'sk-carol-openai-only-0123'
const keysPath = join(dir, 'keys.json')
const dbPath = join(dir, 'usage.db')
const T0 = Date.UTC(2026, 11, 5, 12, 0, 0)
let now = T0
const gateways: TestGateway[] = []

function writeKeys(extra: Record<string, unknown>[] = [], alice: Record<string, unknown> = {}): void {
  const keys = [
    { name: 'alice', key: ALICE, rpm: 3, ...alice },
    { name: 'bob', keyHash: `sha256:${sha256Hex(BOB)}`, dailyTokens: 60 },
    { name: 'carol', key: CAROL, providers: ['openai-custom'] },
    ...extra,
  ]
  // JSONC, as a user would write it.
  writeFileSync(keysPath, `// team keys\n${JSON.stringify({ keys }, null, 2).replace(/\n}$/, ',\n}')}`)
}

async function gateway(overrides: Partial<AppConfig> = {}): Promise<TestGateway> {
  const gw = await startGateway({ CLIENT_KEYS_FILE_PATH: keysPath, USAGE_DB_PATH: dbPath, ...overrides }, { now: () => now })
  gateways.push(gw)
  return gw
}
afterAll(async () => {
  for (const gw of gateways) await gw.stop()
})

const openaiBody = (stream = false) => ({
  model: 'gpt-4o-mini',
  stream,
  ...(stream ? { stream_options: { include_usage: true } } : {}),
  messages: [{ role: 'user', content: 'hello there' }],
})
const anthropicBody = { model: 'claude-sonnet-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'hello there' }] }
const geminiBody = { contents: [{ role: 'user', parts: [{ text: 'hello there' }] }] }

function as(gw: TestGateway, key: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

beforeEach(() => {
  now += 3_600_000
  writeKeys()
})

describe('who gets in', () => {
  test('a client key works in every auth place and every dialect; a hashed key too', async () => {
    const gw = await gateway()
    expect((await as(gw, ALICE, '/v1/chat/completions', openaiBody())).status).toBe(200)
    const viaApiKey = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': BOB, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify(anthropicBody),
    })
    expect(viaApiKey.status).toBe(200)
    const viaGoog = await fetch(`${gw.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': ALICE, 'content-type': 'application/json' },
      body: JSON.stringify(geminiBody),
    })
    expect(viaGoog.status).toBe(200)
    const viaQuery = await fetch(`${gw.url}/v1beta/models/gemini-2.5-flash:generateContent?key=${BOB}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(geminiBody),
    })
    expect(viaQuery.status).toBe(200)
  })

  test('unknown, disabled and expired keys get 401 in the client dialect', async () => {
    writeKeys([
      { name: 'dave', key: 'sk-dave-disabled-000', disabled: true },
      { name: 'erin', key: 'sk-erin-expired-0000', expiresAt: new Date(T0).toISOString() },
    ])
    const gw = await gateway()
    const unknown = await as(gw, 'sk-nobody-at-all-000', '/v1/chat/completions', openaiBody())
    expect(unknown.status).toBe(401)
    expect(await unknown.json()).toMatchObject({ error: { message: expect.stringContaining('Unauthorized') } })
    const disabled = await as(gw, 'sk-dave-disabled-000', '/v1/messages', anthropicBody, { 'anthropic-version': '2023-06-01' })
    expect(disabled.status).toBe(401)
    expect(await disabled.json()).toMatchObject({ type: 'error', error: { type: 'authentication_error', message: expect.stringContaining('disabled') } })
    const expired = await as(gw, 'sk-erin-expired-0000', '/v1beta/models/gemini-2.5-flash:generateContent', geminiBody)
    expect(expired.status).toBe(401)
    expect(await expired.json()).toMatchObject({ error: { code: 401, message: expect.stringContaining('expired') } })
  })

  test('a client key on an admin route gets 403; the master key gets in', async () => {
    const gw = await gateway()
    for (const path of ['/pools', '/usage']) {
      expect((await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${ALICE}` } })).status).toBe(403)
      expect((await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${gw.key}` } })).status).toBe(200)
    }
  })

  test('a provider outside the key’s list is 403 after selection (path or header), its own provider works', async () => {
    const gw = await gateway()
    const byPath = await as(gw, CAROL, '/local-echo/v1/chat/completions', openaiBody())
    expect(byPath.status).toBe(403)
    expect(((await byPath.json()) as { error: { message: string } }).error.message).toContain('may not use local-echo')
    const byHeader = await as(gw, CAROL, '/v1/messages', anthropicBody, { 'anthropic-version': '2023-06-01', 'model-provider': 'local-echo' })
    expect(byHeader.status).toBe(403)
    expect(await byHeader.json()).toMatchObject({ type: 'error', error: { type: 'permission_error' } })
  })
})

describe('limits', () => {
  test('over rpm → 429 with Retry-After to the end of the minute; the next minute admits again', async () => {
    const gw = await gateway()
    now = Math.floor(now / 60_000) * 60_000 + 20_000
    for (let i = 0; i < 3; i++) expect((await as(gw, ALICE, '/v1/chat/completions', openaiBody())).status).toBe(200)
    const refused = await as(gw, ALICE, '/v1/chat/completions', openaiBody())
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('40')
    now += 40_000
    expect((await as(gw, ALICE, '/v1/chat/completions', openaiBody())).status).toBe(200)
  })

  test('over dailyTokens → 429 until 00:00 UTC; a restart keeps the budget spent', async () => {
    now = Date.UTC(2026, 11, 7, 20, 0, 0)
    const gw = await gateway()
    let status = 200
    for (let i = 0; i < 20 && status === 200; i++) status = (await as(gw, BOB, '/v1/chat/completions', openaiBody())).status
    expect(status).toBe(429)
    const refused = await as(gw, BOB, '/v1/chat/completions', openaiBody())
    expect(refused.headers.get('retry-after')).toBe(String(4 * 3600))
    await gw.stop()
    gateways.splice(gateways.indexOf(gw), 1)
    const again = await gateway()
    expect((await as(again, BOB, '/v1/chat/completions', openaiBody())).status).toBe(429)
    now = Date.UTC(2026, 11, 8, 0, 0, 1)
    expect((await as(again, BOB, '/v1/chat/completions', openaiBody())).status).toBe(200)
  })
})

describe('hot reload', () => {
  test('adding, disabling and changing a limit take effect; an invalid edit keeps the previous keys', async () => {
    const gw = await gateway()
    const keys = gw.gateway.keys
    if (!keys) throw new Error('keys are configured')
    writeKeys([{ name: 'frank', key: 'sk-frank-new-00000000' }], { disabled: true })
    keys.reload()
    expect((await as(gw, 'sk-frank-new-00000000', '/v1/chat/completions', openaiBody())).status).toBe(200)
    expect((await as(gw, ALICE, '/v1/chat/completions', openaiBody())).status).toBe(401)
    writeFileSync(keysPath, '{"keys": [{"name": "broken"')
    keys.reload()
    expect((await as(gw, 'sk-frank-new-00000000', '/v1/chat/completions', openaiBody())).status).toBe(200)
    expect(gw.logs.some((line) => line.includes('keeping the previous keys'))).toBe(true)
  })
})

describe('usage', () => {
  test('totals per key equal the usage the answers reported (stream and non-stream); keys appear by name only', async () => {
    rmSync(dbPath, { force: true })
    now = Date.UTC(2026, 11, 10, 9, 0, 0)
    const gw = await gateway()
    let input = 0
    let output = 0
    for (const stream of [false, true, false]) {
      const res = await as(gw, ALICE, '/v1/chat/completions', openaiBody(stream))
      if (stream) {
        const last = (await res.text())
          .split('\n')
          .filter((line) => line.startsWith('data: {'))
          .map((line) => JSON.parse(line.slice(6)) as { usage?: { prompt_tokens: number; completion_tokens: number } })
          .findLast((chunk) => chunk.usage)
        input += last?.usage?.prompt_tokens ?? 0
        output += last?.usage?.completion_tokens ?? 0
      } else {
        const body = (await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } }
        input += body.usage.prompt_tokens
        output += body.usage.completion_tokens
      }
    }
    await as(gw, gw.key, '/v1/messages', anthropicBody, { 'anthropic-version': '2023-06-01' })
    const usage = await fetch(`${gw.url}/usage?from=2026-12-10&to=2026-12-10&key=alice`, { headers: { authorization: `Bearer ${gw.key}` } })
    const report = (await usage.json()) as {
      rows: { key: string; requests: number }[]
      totals: { requests: number; inputTokens: number; outputTokens: number }
    }
    expect(report.totals).toMatchObject({ requests: 3, inputTokens: input, outputTokens: output })
    expect(input).toBeGreaterThan(0)
    const dashboard = (await (await fetch(`${gw.url}/dashboard/data`, { headers: { authorization: `Bearer ${gw.key}` } })).json()) as {
      usage: { key: string; requests: number }[]
    }
    expect(dashboard.usage.find((row) => row.key === 'alice')?.requests).toBe(3)
    expect((await fetch(`${gw.url}/dashboard/data`, { headers: { authorization: `Bearer ${ALICE}` } })).status).toBe(403)
    const all = await (await fetch(`${gw.url}/usage`, { headers: { authorization: `Bearer ${gw.key}` } })).text()
    expect(all).toContain('"key":"master"')
    for (const secret of [ALICE, BOB, CAROL, sha256Hex(ALICE)]) {
      expect(all).not.toContain(secret)
      expect(gw.logs.join('\n')).not.toContain(secret)
      expect(await (await fetch(`${gw.url}/pools`, { headers: { authorization: `Bearer ${gw.key}` } })).text()).not.toContain(secret)
    }
  })

  test('a bad day bound is a 400', async () => {
    const gw = await gateway()
    expect((await fetch(`${gw.url}/usage?from=yesterday`, { headers: { authorization: `Bearer ${gw.key}` } })).status).toBe(400)
  })
})
