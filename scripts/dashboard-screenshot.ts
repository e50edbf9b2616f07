// `bun scripts/dashboard-screenshot.ts`: renders docs/dashboard.png for the README. A gateway
// in front of fake upstreams gets fifteen minutes of made-up traffic on an injected clock
// (varying rate and latency, a flaky member, a rate-limited one, a few bad requests), then
// headless Chromium, with every non-local host unresolvable, takes the picture.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startFakeAnthropic } from '../tests/fakes/anthropic/index.ts'
import { startFakeOpenAI } from '../tests/fakes/openai/index.ts'
import { seededRandom } from '../tests/helpers/chunks.ts'
import { startGateway } from '../tests/helpers/gateway.ts'
import { offlineChromiumFlags } from './chromium-flags.ts'

const SLOT_MS = 5_000
const SLOTS = 180
const out = resolve(import.meta.dir, '..', 'docs', 'dashboard.png')
const chromium = Bun.which('chromium')
if (!chromium) throw new Error("chromium is not installed (Debian package 'chromium')")

const random = seededRandom(11)
const members = ['eu-primary', 'us-secondary', 'free-tier'] as const
const keys = Object.fromEntries(members.map((uuid) => [uuid, `sk-shot-${uuid}-0123456789`]))
const fakes = Object.fromEntries(await Promise.all(members.map(async (uuid) => [uuid, await startFakeOpenAI({ apiKey: keys[uuid] as string })] as const)))
const claude = await startFakeAnthropic({ apiKey: 'sk-shot-claude-0123456789' })
const work = mkdtempSync(join(tmpdir(), 'sb-shot-'))
const poolsPath = join(work, 'provider_pools.json')
writeFileSync(poolsPath, JSON.stringify({ 'openai-custom': members.map((uuid) => ({ uuid, OPENAI_API_KEY: keys[uuid], OPENAI_BASE_URL: fakes[uuid]?.url })) }))

// Made-up time that still moves in real time within a slot, so upstream latencies are real.
let clock = Date.now() - SLOTS * SLOT_MS
let slotStartedAt = performance.now()
/** Upstream latency of the current slot, added in front of every upstream call. */
let latencyMs = () => 10
const slowFetch = (async (input: string | URL | Request, init?: RequestInit) => {
  await Bun.sleep(latencyMs())
  return fetch(input, init)
}) as typeof fetch
const gw = await startGateway(
  {
    MODEL_PROVIDER: 'openai-custom,claude-custom',
    PROVIDER_POOLS_FILE_PATH: poolsPath,
    CLAUDE_API_KEY: 'sk-shot-claude-0123456789',
    CLAUDE_BASE_URL: claude.url,
    POOL_FAILURE_THRESHOLD: 3,
  },
  { now: () => clock + Math.round(performance.now() - slotStartedAt), random, fetch: slowFetch },
)

const ask = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gw.key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }).then((response) => response.arrayBuffer())

const chat = (stream: boolean, words: number) => ({
  model: 'gpt-4o-mini',
  stream,
  ...(stream ? { stream_options: { include_usage: true } } : {}),
  messages: [{ role: 'user', content: 'word '.repeat(words) }],
})

for (let slot = 0; slot < SLOTS; slot++) {
  clock += SLOT_MS
  slotStartedAt = performance.now()
  // A daily-looking wave of 2 to 9 requests per slot, with a burst two thirds of the way in.
  const wave = 5.5 + 3.5 * Math.sin(slot / 17)
  const count = Math.round(wave + (slot > 110 && slot < 125 ? 6 : 0))
  const burst = slot > 110 && slot < 125
  latencyMs = () => Math.round(8 + random() * (burst ? 160 : 60))
  const jobs: Promise<unknown>[] = []
  for (let i = 0; i < count; i++) jobs.push(ask('/v1/chat/completions', chat(random() < 0.4, 20 + Math.round(random() * 300))))
  if (slot % 9 === 0)
    jobs.push(ask('/claude-custom/v1/messages', { model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'hello' }] }))
  if (slot % 23 === 5) jobs.push(ask('/v1/chat/completions', { model: 'gpt-4o-mini', messages: 'not a list' }))
  if (slot % 41 === 7) jobs.push(ask('/v1/chat/completions', chat(false, 5), { authorization: 'Bearer wrong' }))
  await Promise.all(jobs)
  if (process.env.SHOT_DEBUG) console.error(`slot ${slot}`)
  // Near the end the free tier hits its rate limit and the secondary member starts failing.
  if (slot === SLOTS - 8) fakes['free-tier']?.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '600' } })
  if (slot >= SLOTS - 6) for (let n = 0; n < 3; n++) fakes['us-secondary']?.enqueue({ kind: 'status', status: 500 })
}
clock = Date.now()
slotStartedAt = performance.now()

const profile = mkdtempSync(join(tmpdir(), 'sb-shot-chromium-'))
try {
  // Async: the gateway answering the page runs in this process.
  const shot = Bun.spawn(
    [
      chromium,
      ...offlineChromiumFlags(profile),
      '--hide-scrollbars',
      '--window-size=1400,1000',
      '--virtual-time-budget=5000',
      `--screenshot=${out}`,
      `${gw.url}/dashboard?key=${gw.key}`,
    ],
    { stdout: 'ignore', stderr: 'pipe' },
  )
  const code = await shot.exited
  if (code !== 0) throw new Error(`chromium exited ${code}: ${await new Response(shot.stderr).text()}`)
  console.log(`wrote ${out}`)
} finally {
  rmSync(profile, { recursive: true, force: true })
  rmSync(work, { recursive: true, force: true })
  await gw.stop()
  for (const fake of [...Object.values(fakes), claude]) await fake?.stop()
}
