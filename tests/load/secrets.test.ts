// Known keys and tokens go in; a mixed workload with upstream 401s, 429s, token refreshes
// and bad requests runs; none of the secrets may come out in logs, error bodies, /pools or
// the pools state file.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { statePathFor } from '../../src/pools/index.ts'
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic/index.ts'
import { rateLimited, unauthenticated } from '../fakes/google/errors.ts'
import { startGoogleFake, type GoogleFake } from '../fakes/google/index.ts'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { seededRandom } from '../helpers/chunks.ts'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const OPENAI_KEY = 'sk-secret-openai-7f3a9c2e41d0'
const OPENAI_WRONG_KEY = 'sk-secret-wrong-b81d44aa9f07'
const CLAUDE_KEY = 'sk-ant-secret-claude-5e1b3390cc12'

let openai: FakeOpenAI
let anthropic: FakeAnthropic
let google: GoogleFake
let gw: TestGateway
let poolsPath: string
let googleTokens: string[]
/** Every response body the workload received. */
const bodies: string[] = []

beforeAll(async () => {
  openai = await startFakeOpenAI({ apiKey: OPENAI_KEY })
  anthropic = await startFakeAnthropic({ apiKey: CLAUDE_KEY })
  google = startGoogleFake()
  const { accessToken, refreshToken } = google.authority.login()
  googleTokens = [accessToken, refreshToken]
  const dir = tempDir('sb-secrets-')
  const credsPath = join(dir, 'oauth_creds.json')
  writeFileSync(
    credsPath,
    JSON.stringify({ access_token: accessToken, refresh_token: refreshToken, token_type: 'Bearer', expiry_date: Date.now() + 3_600_000 }),
  )
  poolsPath = join(dir, 'provider_pools.json')
  writeFileSync(
    poolsPath,
    JSON.stringify({
      'openai-custom': [
        { uuid: 'openai-good', OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: openai.url, checkHealth: false },
        { uuid: 'openai-wrong', OPENAI_API_KEY: OPENAI_WRONG_KEY, OPENAI_BASE_URL: openai.url, checkHealth: false },
      ],
      'claude-custom': [{ uuid: 'claude-one', CLAUDE_API_KEY: CLAUDE_KEY, CLAUDE_BASE_URL: anthropic.origin, checkHealth: false }],
      'gemini-cli-oauth': [
        {
          uuid: 'gemini-one',
          GEMINI_OAUTH_CREDS_FILE_PATH: credsPath,
          GEMINI_OAUTH_TOKEN_URL: google.tokenUrl,
          GEMINI_BASE_URL: google.codeAssistUrl,
          checkHealth: false,
        },
      ],
    }),
  )
  gw = await startGateway(
    { MODEL_PROVIDER: 'openai-custom', PROVIDER_POOLS_FILE_PATH: poolsPath, REQUEST_MAX_RETRIES: 2, POOL_FAILURE_THRESHOLD: 1000 },
    { random: seededRandom(7) },
  )
})
afterAll(async () => {
  await gw.stop()
  await openai.stop()
  await anthropic.stop()
  google.stop()
})

async function send(path: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
  const res = await post(gw, path, body, headers)
  bodies.push(await res.text())
  return res.status
}

const chat = (content: string, stream = false) => ({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content }] })
const messages = (content: string, stream = false) => ({ model: 'claude-sonnet-4-5', max_tokens: 32, stream, messages: [{ role: 'user', content }] })

describe('secrets under a mixed workload with errors', () => {
  test('the workload runs and meets every kind of error', async () => {
    const statuses: number[] = []
    // openai-custom: the wrong-key member answers 401 and fails over; 429s and upstream 400s.
    for (let i = 0; i < 8; i++) statuses.push(await send('/v1/chat/completions', chat(`round ${i}`, i % 2 === 0)))
    openai.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '1' } }, { kind: 'status', status: 429 }, { kind: 'status', status: 429 })
    statuses.push(await send('/v1/chat/completions', chat('rate limited')))
    openai.enqueue({ kind: 'status', status: 400 })
    statuses.push(await send('/v1/messages', messages('upstream says bad request')))
    // claude-custom: a stream, then upstream 401s and 429s (the 429 cools the member down last).
    statuses.push(await send('/claude-custom/v1/messages', messages('streamed', true)))
    anthropic.enqueue({ kind: 'status', status: 401 }, { kind: 'status', status: 401 }, { kind: 'status', status: 401 })
    statuses.push(await send('/claude-custom/v1/messages', messages('unauthorised')))
    anthropic.enqueue({ kind: 'status', status: 429 }, { kind: 'status', status: 429 }, { kind: 'status', status: 429 })
    statuses.push(await send('/claude-custom/v1/chat/completions', chat('busy')))
    // gemini-cli-oauth: an expired access token forces a refresh; then a 401 and a 429.
    const gemini = (content: string) => ({ ...chat(content), model: 'gemini-2.5-flash' })
    google.authority.expire(googleTokens[0] as string)
    statuses.push(await send('/gemini-cli-oauth/v1/chat/completions', gemini('refresh me')))
    google.script('generateContent', ...Array.from({ length: 6 }, unauthenticated))
    statuses.push(await send('/gemini-cli-oauth/v1/chat/completions', gemini('denied')))
    google.script('generateContent', rateLimited('1s'), rateLimited('1s'), rateLimited('1s'))
    statuses.push(await send('/gemini-cli-oauth/v1beta/models/gemini-2.5-flash:generateContent', { contents: [{ role: 'user', parts: [{ text: 'quota' }] }] }))
    // Bad requests and a bad gateway key.
    statuses.push(await send('/v1/chat/completions', '{"model":'))
    statuses.push(await send('/v1/messages', { model: 'm', messages: 'nope' }))
    statuses.push(await send('/v1/chat/completions', chat('wrong key'), { authorization: `Bearer ${OPENAI_KEY}` }))
    const pools = await fetch(`${gw.url}/pools`, { headers: { 'x-api-key': gw.key } })
    bodies.push(await pools.text())

    expect(statuses).toContain(200)
    expect(statuses).toContain(400)
    expect(statuses).toContain(401)
    expect(statuses).toContain(429)
    expect(openai.journal.some((entry) => entry.headers.authorization === `Bearer ${OPENAI_WRONG_KEY}`)).toBe(true)
    expect(google.authority.refreshCalls).toBeGreaterThan(0)
  })

  test('no secret appears in logs, response bodies, /pools or the state file', () => {
    gw.gateway.pools.flushState()
    const state = readFileSync(statePathFor(poolsPath), 'utf8')
    expect(state).toContain('openai-wrong')
    const freshTokens = readFileSync(JSON.parse(readFileSync(poolsPath, 'utf8'))['gemini-cli-oauth'][0].GEMINI_OAUTH_CREDS_FILE_PATH, 'utf8')
    const { access_token: refreshed } = JSON.parse(freshTokens) as { access_token: string }
    const secrets = [OPENAI_KEY, OPENAI_WRONG_KEY, CLAUDE_KEY, gw.key, refreshed, ...googleTokens]
    expect(refreshed).not.toBe(googleTokens[0])
    const places = { logs: gw.logs.join('\n'), bodies: bodies.join('\n'), state }
    expect(places.logs.length).toBeGreaterThan(0)
    for (const secret of secrets) {
      for (const [place, text] of Object.entries(places)) expect({ place, leaked: text.includes(secret) ? secret : null }).toEqual({ place, leaked: null })
    }
  })
})
