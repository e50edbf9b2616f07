// x-request-id and Server-Timing on every answer (each dialect, streamed or not, errors and
// gateway routes), the request id forwarded upstream, and LOG_FORMAT=json lines: parseable,
// an access line per request with its fields, events for breaker changes, never a secret.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import OpenAI from 'openai'
import { createLogger } from '../../src/log.ts'
import type { PoolsRuntime } from '../../src/pools/index.ts'
import { anthropicBody, geminiBody, MEMBER_KEYS, openaiBody, PROMPT, startPool, type PoolSetup } from './helpers.ts'
import { post } from '../helpers/gateway.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const SERVER_TIMING = /^gateway;dur=\d+(\.\d+)?(, upstream;dur=\d+(\.\d+)?)?$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

let setup: PoolSetup
const lines: string[] = []

beforeAll(async () => {
  const log = createLogger({ level: 'debug', format: 'json', write: (_level, line) => lines.push(line) })
  setup = await startPool({ POOL_FAILURE_THRESHOLD: 1 }, { log })
})
afterAll(() => setup.stop())

function expectStamped(response: Response, upstream: boolean): string {
  const id = response.headers.get('x-request-id') ?? ''
  expect(id).not.toBe('')
  const timing = response.headers.get('server-timing') ?? ''
  expect(timing).toMatch(SERVER_TIMING)
  expect(timing.includes('upstream;dur=')).toBe(upstream)
  return id
}

describe('x-request-id and Server-Timing', () => {
  const routes = [
    { dialect: 'openai', path: '/v1/chat/completions', body: openaiBody, streamPath: '/v1/chat/completions', streamBody: () => openaiBody(true) },
    { dialect: 'anthropic', path: '/v1/messages', body: anthropicBody, streamPath: '/v1/messages', streamBody: () => anthropicBody(true) },
    {
      dialect: 'gemini',
      path: '/v1beta/models/gpt-4o-mini:generateContent',
      body: geminiBody,
      streamPath: '/v1beta/models/gpt-4o-mini:streamGenerateContent?alt=sse',
      streamBody: geminiBody,
    },
  ]
  for (const route of routes) {
    test(`${route.dialect}: a new id and both timings on plain and streamed answers`, async () => {
      const plain = await post(setup.gw, route.path, route.body())
      expect(plain.status).toBe(200)
      expect(expectStamped(plain, true)).toMatch(UUID)
      await plain.text()
      const streamed = await post(setup.gw, route.streamPath, route.streamBody())
      expect(streamed.status).toBe(200)
      expect(expectStamped(streamed, true)).toMatch(UUID)
      await streamed.text()
    })
  }

  test("the client's own id comes back and reaches the upstream", async () => {
    const fakes = Object.values(setup.fakes)
    const before = fakes.map((fake) => fake.journal.length)
    const response = await post(setup.gw, '/v1/chat/completions', openaiBody(), { 'x-request-id': 'client-req-42' })
    expect(expectStamped(response, true)).toBe('client-req-42')
    await response.text()
    const sent = fakes.flatMap((fake, index) => fake.journal.slice(before[index]))
    expect(sent.map((entry) => entry.headers['x-request-id'])).toEqual(['client-req-42'])
  })

  test('browser pages may read both: CORS exposes them and Timing-Allow-Origin is open', async () => {
    const response = await post(setup.gw, '/v1/chat/completions', openaiBody())
    await response.text()
    const exposed = (response.headers.get('access-control-expose-headers') ?? '').split(/,\s*/)
    expect(exposed).toEqual(expect.arrayContaining(['x-request-id', 'server-timing']))
    expect(response.headers.get('timing-allow-origin')).toBe('*')
  })

  test('the OpenAI SDK reports the request id, on answers and on errors', async () => {
    const client = new OpenAI({ apiKey: setup.gw.key, baseURL: `${setup.gw.url}/v1`, maxRetries: 0 })
    const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
    expect(completion._request_id ?? '').toMatch(UUID)
    const failure = await new OpenAI({ apiKey: 'wrong-key', baseURL: `${setup.gw.url}/v1`, maxRetries: 0 }).chat.completions
      .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(OpenAI.APIError)
    expect((failure as InstanceType<typeof OpenAI.APIError>).requestID ?? '').toMatch(UUID)
  })

  test('an id that is not a sane token is replaced', async () => {
    const response = await post(setup.gw, '/v1/chat/completions', openaiBody(), { 'x-request-id': `bad id ${'x'.repeat(200)}` })
    expect(expectStamped(response, true)).toMatch(UUID)
    await response.text()
  })

  test('errors before and after the upstream carry them too', async () => {
    const noKey = await fetch(`${setup.gw.url}/v1/messages`, { method: 'POST', body: '{}' })
    expect(noKey.status).toBe(401)
    expectStamped(noKey, false)
    const unknown = await post(setup.gw, '/v1/unknown', {})
    expect(unknown.status).toBe(404)
    expectStamped(unknown, false)
    const badJson = await post(setup.gw, '/v1beta/models/m:generateContent', '{')
    expect(badJson.status).toBe(400)
    expectStamped(badJson, false)
    const health = await fetch(`${setup.gw.url}/health`)
    expectStamped(health, false)
  })

  test('an upstream failure answered to the client carries the upstream time', async () => {
    const gw = await startPool({ REQUEST_MAX_RETRIES: 0 })
    try {
      gw.fakes['member-a'].enqueue({ kind: 'status', status: 400 })
      gw.fakes['member-b'].enqueue({ kind: 'status', status: 400 })
      const response = await post(gw.gw, '/v1/chat/completions', openaiBody())
      expect(response.status).toBe(400)
      expectStamped(response, true)
    } finally {
      await gw.stop()
    }
  })
})

describe('LOG_FORMAT=json', () => {
  test('every line is one JSON object; each API request has an access line with its fields', () => {
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    for (const line of parsed) {
      expect(typeof line.time).toBe('string')
      expect(typeof line.level).toBe('string')
      expect(typeof line.msg).toBe('string')
    }
    const access = parsed.filter((line) => line.event === 'access' && line.status === 200 && line.dialect === 'openai')
    expect(access.length).toBeGreaterThanOrEqual(4)
    const own = access.find((line) => line.request_id === 'client-req-42')
    expect(own).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      dialect: 'openai',
      provider: 'openai-custom',
      model: 'gpt-4o-mini',
      status: 200,
      attempts: 1,
      stream: false,
    })
    expect(['member-a', 'member-b']).toContain(own?.instance as string)
    for (const field of ['duration_ms', 'upstream_ttfb_ms', 'gateway_ms', 'input_tokens', 'output_tokens']) expect(typeof own?.[field]).toBe('number')
    const rejected = parsed.find((line) => line.event === 'access' && line.status === 401 && line.path === '/v1/messages')
    expect(rejected).toMatchObject({ dialect: 'anthropic', error: expect.stringContaining('API key') })
  })

  test('a breaker that opens is a JSON event', async () => {
    setup.fakes['member-a'].enqueue({ kind: 'status', status: 500 })
    setup.fakes['member-b'].enqueue({ kind: 'status', status: 500 })
    await (await post(setup.gw, '/v1/chat/completions', openaiBody())).text()
    const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === 'breaker')
    expect(events.length).toBeGreaterThanOrEqual(1)
    expect(events[0]).toMatchObject({ level: 'warn', provider: 'openai-custom', breaker: 'open' })
  })

  test('a member back from an open breaker and a pools reload are JSON events', async () => {
    const pools = setup.gw.gateway.pools as PoolsRuntime
    await pools.runHealthPass()
    const events = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(events().find((line) => line.event === 'health' && line.ok === true)).toMatchObject({ provider: 'openai-custom', breaker: 'closed' })
    const file = JSON.parse(readFileSync(setup.poolsPath, 'utf8')) as { 'openai-custom': Array<Record<string, unknown>> }
    writeFileSync(setup.poolsPath, JSON.stringify({ 'openai-custom': file['openai-custom'].slice(0, 1) }))
    expect(pools.reload()).toBe(true)
    expect(events().find((line) => line.event === 'reload')).toMatchObject({ level: 'info', members: 1 })
  })

  test('no line carries a key, a member key or prompt text', () => {
    const all = lines.join('\n')
    for (const secret of [setup.gw.key, ...Object.values(MEMBER_KEYS), PROMPT, 'secret prompt']) expect(all).not.toContain(secret)
  })
})

describe('LOG_FORMAT=json from the command line', () => {
  test('the startup line is a JSON event with the URL, and the key is nowhere in it', async () => {
    const key = 'cli-json-startup-key-0123456789'
    const child = Bun.spawn([process.execPath, join(import.meta.dir, '../../src/index.ts'), '--port', '0', '--api-key', key, '--log-format', 'json'], {
      cwd: tempDir('sb-json-'),
      stdout: 'pipe',
      stderr: 'pipe',
    })
    try {
      const reader = (child.stdout as ReadableStream<Uint8Array>).getReader()
      let text = ''
      while (!text.includes('\n')) {
        const { value, done } = await reader.read()
        if (done) break
        text += new TextDecoder().decode(value)
      }
      reader.releaseLock()
      const startup = JSON.parse(text.split('\n')[0] ?? '') as Record<string, unknown>
      expect(startup).toMatchObject({ level: 'info', event: 'startup', default_provider: 'local-echo' })
      expect(String(startup.url)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(text).not.toContain(key)
    } finally {
      child.kill('SIGTERM')
      await child.exited
    }
  })
})
