// A 200 whose JSON body was cut short on non-stream passthrough: caught before anything
// reaches the client (first and last significant bytes), failed over to another member,
// and a 502 in the client's dialect when no member can serve.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic/index.ts'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const OPENAI_KEY = 'sk-truncated-openai-0001'
const CLAUDE_KEY = 'sk-ant-truncated-0001'
const CUT = '{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"tru'
let openai: FakeOpenAI
let claude: FakeAnthropic
let pooled: TestGateway
let single: TestGateway

beforeAll(async () => {
  openai = await startFakeOpenAI({ apiKey: OPENAI_KEY })
  claude = await startFakeAnthropic({ apiKey: CLAUDE_KEY })
  const path = join(tempDir('sb-truncated-'), 'provider_pools.json')
  const member = (uuid: string) => ({ uuid, OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: openai.url })
  writeFileSync(path, JSON.stringify({ 'openai-custom': [member('first'), member('second')] }))
  pooled = await startGateway({ MODEL_PROVIDER: 'openai-custom', PROVIDER_POOLS_FILE_PATH: path, REQUEST_MAX_RETRIES: 1 })
  single = await startGateway({ CLAUDE_API_KEY: CLAUDE_KEY, CLAUDE_BASE_URL: claude.url, REQUEST_MAX_RETRIES: 0 })
})
afterAll(async () => {
  await pooled.stop()
  await single.stop()
  await openai.stop()
  await claude.stop()
})

const send = (gw: TestGateway, path: string, body: unknown) => post(gw, path, body, { 'anthropic-version': '2023-06-01' })

describe('a truncated JSON answer with status 200', () => {
  test('fails over to another member, and the client gets the whole answer', async () => {
    openai.enqueue({ kind: 'garbage', body: CUT })
    const res = await send(pooled, '/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'whole please' }] })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-switchboard-attempts')).toBe('2')
    expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe('echo: whole please')
  })

  test('a body cut mid-way by the fake (half of it) fails over too', async () => {
    openai.enqueue({ kind: 'cut-after', chunks: 1 })
    const res = await send(pooled, '/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'half' }] })
    expect([res.status, res.headers.get('x-switchboard-attempts')]).toEqual([200, '2'])
  })

  test('is a 502 in the client dialect when no other member can serve', async () => {
    claude.enqueue({ kind: 'garbage', body: '{"id":"msg_1","type":"message","content":[{"type":"text","text":"tru' })
    const res = await send(single, '/claude-custom/v1/messages', { model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })
    expect(res.status).toBe(502)
    const body = (await res.json()) as { type: string; error: { type: string; message: string } }
    expect(body.type).toBe('error')
    expect(body.error.message).toContain('cut short or garbled')
  })
})
