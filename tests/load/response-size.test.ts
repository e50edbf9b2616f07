// MAX_RESPONSE_BODY_BYTES: a non-stream upstream answer is held in memory only up to the cap.
// Past it the attempt fails before anything reaches the client, so another member can serve.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'
import { settledRss } from './helpers.ts'
import { seededRandom } from '../helpers/chunks.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const CAP = 256 * 1024
const UPSTREAM_KEY = 'sk-size-0001'
const CHUNK = new TextEncoder().encode('x'.repeat(64 * 1024))

/** An upstream whose /huge answers never end (chunked, made as they are read) and /ok answers briefly. */
function startUpstream() {
  let served = 0
  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    fetch(request) {
      served++
      const small = {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1,
        model: 'm',
        choices: [{ index: 0, message: { role: 'assistant', content: 'fine' }, finish_reason: 'stop' }],
      }
      if (new URL(request.url).pathname.startsWith('/ok/')) return Response.json(small)
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"id":"chatcmpl-2","choices":[{"message":{"content":"'))
        },
        pull(controller) {
          controller.enqueue(CHUNK)
        },
      })
      return new Response(body, { headers: { 'content-type': 'application/json' } })
    },
  })
  return { server, url: (path: string) => `http://127.0.0.1:${server.port}${path}`, served: () => served }
}

let upstream: ReturnType<typeof startUpstream>
const dir = tempDir('sb-size-')
const gateways: TestGateway[] = []

beforeAll(() => {
  upstream = startUpstream()
})
afterAll(async () => {
  for (const gw of gateways) await gw.stop()
  upstream.server.stop(true)
  rmSync(dir, { recursive: true, force: true })
})

async function gatewayWith(members: string[]): Promise<TestGateway> {
  const poolsPath = join(dir, `pools-${gateways.length}.json`)
  const pool = members.map((base, i) => ({ uuid: `m${i}`, OPENAI_BASE_URL: upstream.url(base), OPENAI_API_KEY: UPSTREAM_KEY }))
  writeFileSync(poolsPath, JSON.stringify({ 'openai-custom': pool }))
  const gw = await startGateway(
    {
      MODEL_PROVIDER: 'openai-custom',
      PROVIDER_POOLS_FILE_PATH: poolsPath,
      MAX_RESPONSE_BODY_BYTES: CAP,
      REQUEST_MAX_RETRIES: members.length - 1,
      POOL_FAILURE_THRESHOLD: 1000,
    },
    { random: seededRandom(3) },
  )
  gateways.push(gw)
  return gw
}

const ask = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }

describe('MAX_RESPONSE_BODY_BYTES', () => {
  test('an endless non-stream answer is cut at the cap: 502, and memory does not follow it', async () => {
    const gw = await gatewayWith(['/huge/v1'])
    const before = settledRss()
    for (let i = 0; i < 20; i++) {
      const res = await post(gw, '/v1/chat/completions', ask)
      expect(res.status).toBe(502)
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain('MAX_RESPONSE_BODY_BYTES')
    }
    // Unbounded, 20 endless answers would hold gigabytes; capped, each attempt holds at most 256 KiB.
    expect(settledRss() - before).toBeLessThan(64 * 1024 * 1024)
  })

  test('a too-large answer fails over to another member before anything reaches the client', async () => {
    const gw = await gatewayWith(['/huge/v1', '/ok/v1'])
    let attempts = 0
    for (let i = 0; i < 6; i++) {
      const res = await post(gw, '/v1/chat/completions', ask)
      expect(res.status).toBe(200)
      attempts += Number(res.headers.get('x-switchboard-attempts'))
      expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe('fine')
    }
    // The seeded balancer tries the endless member at least once; that attempt failed over.
    expect(attempts).toBeGreaterThan(6)
  })

  test('an answer under the cap is served', async () => {
    const gw = await gatewayWith(['/ok/v1'])
    const res = await post(gw, '/v1/chat/completions', ask)
    expect(res.status).toBe(200)
  })
})
