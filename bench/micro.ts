// `bun bench/micro.ts [scenario…]`: the gateway's own CPU cost per request, in process and
// without a network. The gateway (app.handle) and the plain proxy's handler get the same
// fake upstream (a canned Response per call, streams chunk by chunk), so the difference is
// what the gateway adds. CPU time is the process's own (user + system), which moves far
// less than req/s on a shared machine; rounds are interleaved and the median is printed.
// MICRO_ITERATIONS, MICRO_ROUNDS and MICRO_CONCURRENCY override the defaults.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../src/config/load.ts'
import type { AppConfig } from '../src/config/schema.ts'
import { createGateway } from '../src/gateway.ts'
import { createLogger } from '../src/log.ts'
import { isProviderId, type ProviderId } from '../src/providers/types.ts'
import { plainHandler } from './plain-proxy.ts'
import { median } from './probes.ts'
import { ANTHROPIC_STREAM_BODY, OPENAI_BODY, OPENAI_STREAM_BODY } from './scenarios.ts'
import { ANTHROPIC_BODY, ANTHROPIC_STREAM, OPENAI_BODY as UPSTREAM_OPENAI_BODY, OPENAI_STREAM } from './upstream.ts'

const KEY = 'micro-client-key-0123456789'
const UPSTREAM = 'http://upstream.invalid'
const iterations = Number(process.env.MICRO_ITERATIONS ?? 20_000)
const rounds = Number(process.env.MICRO_ROUNDS ?? 3)
const concurrency = Number(process.env.MICRO_CONCURRENCY ?? 8)

const encoder = new TextEncoder()
const frames = { openai: OPENAI_STREAM.map((f) => encoder.encode(f)), anthropic: ANTHROPIC_STREAM.map((f) => encoder.encode(f)) }

/** One chunk per pull, as a real upstream's separate writes arrive. */
function sse(chunks: readonly Uint8Array[]): Response {
  let i = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++]
      if (chunk === undefined) controller.close()
      else controller.enqueue(chunk)
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
}

const fakeFetch = (async (input: string | URL | Request, init?: RequestInit) => {
  const url = String(input)
  const stream = typeof init?.body === 'string' && init.body.includes('"stream":true')
  if (url.endsWith('/messages')) return stream ? sse(frames.anthropic) : new Response(ANTHROPIC_BODY, { headers: { 'content-type': 'application/json' } })
  return stream ? sse(frames.openai) : new Response(UPSTREAM_OPENAI_BODY, { headers: { 'content-type': 'application/json' } })
}) as typeof fetch

type Handler = (request: Request) => Promise<Response> | Response

function gateway(overrides: Partial<AppConfig>): Handler {
  const cwd = mkdtempSync(join(tmpdir(), 'sb-micro-'))
  const base = loadConfig({ flags: {}, cwd, home: cwd })
  const config = {
    ...base.config,
    REQUIRED_API_KEY: KEY,
    HEALTH_CHECK_CRON: '0 0 0 1 1 *',
    CRON_REFRESH_TOKEN: false,
    PROMPT_LOG_MODE: 'none',
    MODEL_PROVIDER: 'openai-custom,claude-custom,local-echo',
    OPENAI_API_KEY: 'upstream-key-0123456789',
    OPENAI_BASE_URL: `${UPSTREAM}/v1`,
    CLAUDE_API_KEY: 'upstream-key-0123456789',
    CLAUDE_BASE_URL: UPSTREAM,
    ...overrides,
  } as AppConfig
  const providers = String(config.MODEL_PROVIDER)
    .split(',')
    .map((id) => id.trim())
    .filter(isProviderId) as ProviderId[]
  const log = createLogger({ level: 'error', write: () => {} })
  const built = createGateway({ config, providers, generatedKey: false, unknownKeys: [] }, { log, fetch: fakeFetch })
  return (request) => built.app.handle(request)
}

/** A gateway whose openai-custom pool has `size` members. */
function poolGateway(size: number): Handler {
  const dir = mkdtempSync(join(tmpdir(), 'sb-micro-pool-'))
  const path = join(dir, 'provider_pools.json')
  const members = Array.from({ length: size }, (_, i) => ({
    uuid: `m${i}`,
    OPENAI_API_KEY: 'upstream-key-0123456789',
    OPENAI_BASE_URL: `${UPSTREAM}/m${i}/v1`,
  }))
  writeFileSync(path, JSON.stringify({ 'openai-custom': members }))
  return gateway({ PROVIDER_POOLS_FILE_PATH: path, MODEL_PROVIDER: 'openai-custom' } as Partial<AppConfig>)
}

interface Case {
  name: string
  path: string
  body: string
  headers: Record<string, string>
  handler: () => Handler
}

const openaiHeaders = { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }
const plain = () => plainHandler({ upstream: `${UPSTREAM}/v1`, apiKey: KEY, upstreamKey: 'upstream-key-0123456789' }, fakeFetch)
const main = () => gateway({})

const CASES: Case[] = [
  { name: 'plain non-stream', path: '/v1/chat/completions', body: OPENAI_BODY, headers: openaiHeaders, handler: plain },
  { name: 'gateway non-stream', path: '/v1/chat/completions', body: OPENAI_BODY, headers: openaiHeaders, handler: main },
  { name: 'plain stream', path: '/v1/chat/completions', body: OPENAI_STREAM_BODY, headers: openaiHeaders, handler: plain },
  { name: 'gateway stream', path: '/v1/chat/completions', body: OPENAI_STREAM_BODY, headers: openaiHeaders, handler: main },
  { name: 'gateway converted stream', path: '/claude-custom/v1/chat/completions', body: OPENAI_STREAM_BODY, headers: openaiHeaders, handler: main },
  { name: 'gateway anthropic→openai stream', path: '/openai-custom/v1/messages', body: ANTHROPIC_STREAM_BODY, headers: openaiHeaders, handler: main },
  ...[1, 10, 100, 1000].map((size) => ({
    name: `gateway pool of ${size}`,
    path: '/v1/chat/completions',
    body: OPENAI_BODY,
    headers: openaiHeaders,
    handler: () => poolGateway(size),
  })),
]

async function measure(handler: Handler, spec: Case, count: number): Promise<number> {
  let left = count
  const worker = async () => {
    while (left-- > 0) {
      const response = await handler(new Request(`http://127.0.0.1${spec.path}`, { method: 'POST', body: spec.body, headers: spec.headers }))
      if (response.status !== 200) throw new Error(`${spec.name}: ${response.status} ${await response.text()}`)
      await response.arrayBuffer()
    }
  }
  Bun.gc(true)
  const before = process.cpuUsage()
  await Promise.all(Array.from({ length: concurrency }, worker))
  const used = process.cpuUsage(before)
  return (used.user + used.system) / count
}

const wanted = process.argv.slice(2)
const cases = wanted.length === 0 ? CASES : CASES.filter((c) => wanted.some((w) => c.name.includes(w)))
const handlers = new Map(cases.map((c) => [c, c.handler()]))
for (const c of cases) await measure(handlers.get(c) as Handler, c, Math.min(iterations, 5000))
const results = new Map<Case, number[]>(cases.map((c) => [c, []]))
for (let round = 0; round < rounds; round++) {
  for (const c of cases) results.get(c)?.push(await measure(handlers.get(c) as Handler, c, iterations))
}
console.log(`${iterations} requests × ${rounds} rounds, ${concurrency} at a time; CPU µs per request (median, min–max)`)
for (const c of cases) {
  const values = results.get(c) ?? []
  console.log(`${c.name.padEnd(36)} ${median(values).toFixed(1).padStart(7)}  (${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)})`)
}
process.exit(0)
