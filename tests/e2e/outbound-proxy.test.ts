// The outbound proxy through a running gateway: an in-test forward proxy (absolute-form for
// http:// upstreams, CONNECT for https://) records what it carries, so the test can tell
// exactly which providers' traffic went through it: chat, model lists, health probes, the
// Gemini token refresh and project discovery included.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PoolsRuntime } from '../../src/pools/index.ts'
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic/index.ts'
import { formatExpiresAt } from '../../src/providers/kiro/expires-at.ts'
import { startGoogleFake, type GoogleFake } from '../fakes/google/index.ts'
import { startFakeKiro } from '../fakes/kiro/server.ts'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'
import { startTestProxy, type TestProxy } from '../helpers/http-proxy.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const PROXY_PASSWORD = 'pr0xy-s3cret!'
const OPENAI_KEY = 'sk-proxy-openai-key'
const CLAUDE_KEY = 'sk-ant-proxy-claude-key'

let proxy: TestProxy
let direct: FakeOpenAI
let proxied: FakeOpenAI
let anthropic: FakeAnthropic
let tlsFront: ReturnType<typeof Bun.serve>
let google: GoogleFake
let kiro: ReturnType<typeof startFakeKiro>
let gw: TestGateway
let folder: string

/** A self-signed certificate for 127.0.0.1, made for this run. */
function selfSigned(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem')
  const key = join(dir, 'key.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    {
      stdio: 'ignore',
    },
  )
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') }
}

beforeAll(async () => {
  folder = tempDir('sb-proxy-')
  proxy = await startTestProxy({ user: 'gateway', password: PROXY_PASSWORD })
  direct = await startFakeOpenAI({ apiKey: OPENAI_KEY })
  proxied = await startFakeOpenAI({ apiKey: OPENAI_KEY })
  anthropic = await startFakeAnthropic({ apiKey: CLAUDE_KEY })
  // claude-custom is reached over HTTPS, so its proxy has to tunnel with CONNECT.
  const tls = selfSigned(folder)
  tlsFront = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    tls,
    fetch: (req) => {
      const url = new URL(req.url)
      return fetch(`${anthropic.origin}${url.pathname}${url.search}`, { method: req.method, headers: req.headers, body: req.body })
    },
  })
  google = startGoogleFake()
  const { accessToken, refreshToken } = google.authority.login()
  const creds = join(folder, 'oauth_creds.json')
  // Expired: the first request refreshes it; no PROJECT_ID: the project is discovered.
  writeFileSync(creds, JSON.stringify({ access_token: accessToken, refresh_token: refreshToken, token_type: 'Bearer', expiry_date: Date.now() - 60_000 }))
  kiro = startFakeKiro()
  const kiroToken = join(folder, 'kiro-auth-token.json')
  // Expired as well: the Kiro social-login refresh runs first.
  writeFileSync(
    kiroToken,
    JSON.stringify({
      ...kiro.tokens.login('social'),
      expiresAt: formatExpiresAt(Date.now() - 60_000),
      authMethod: 'social',
      provider: 'Google',
      profileArn: kiro.profileArn,
    }),
  )
  const pools = join(folder, 'provider_pools.json')
  const proxyUrl = `http://gateway:${encodeURIComponent(PROXY_PASSWORD)}@127.0.0.1:${proxy.port}`
  writeFileSync(
    pools,
    JSON.stringify({
      'openai-custom': [
        { uuid: 'via-proxy', OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: proxied.url },
        { uuid: 'direct', OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: direct.url, PROXY_URL: '' },
      ],
      // Not in PROXY_PROVIDERS, but its own PROXY_URL wins.
      'claude-custom': [{ uuid: 'claude-tls', CLAUDE_API_KEY: CLAUDE_KEY, CLAUDE_BASE_URL: `https://127.0.0.1:${tlsFront.port}`, PROXY_URL: proxyUrl }],
      'gemini-cli-oauth': [
        { uuid: 'gemini', GEMINI_OAUTH_CREDS_FILE_PATH: creds, GEMINI_OAUTH_TOKEN_URL: google.tokenUrl, GEMINI_BASE_URL: google.codeAssistUrl },
      ],
      'claude-kiro-oauth': [{ uuid: 'kiro', KIRO_OAUTH_CREDS_FILE_PATH: kiroToken, KIRO_BASE_URL: kiro.urls.api, KIRO_REFRESH_URL: kiro.urls.social }],
    }),
  )
  gw = await startGateway(
    {
      MODEL_PROVIDER: 'openai-custom',
      PROVIDER_POOLS_FILE_PATH: pools,
      PROXY_URL: proxyUrl,
      PROXY_PROVIDERS: ['openai-custom', 'gemini-cli-oauth', 'claude-kiro-oauth'],
    },
    { fetch: ((input: string | URL | Request, init?: RequestInit) => fetch(input, { ...init, tls: { ca: tls.cert } })) as typeof fetch },
  )
})
afterAll(async () => {
  await gw.stop()
  await proxy.stop()
  for (const fake of [direct, proxied, anthropic]) await fake.stop()
  tlsFront.stop(true)
  google.stop()
  kiro.stop()
})

const portOf = (target: string) => Number(target.startsWith('http') ? new URL(target).port : target.split(':')[1])
const proxiedPorts = () => new Set(proxy.records.map((record) => portOf(record.target)))

const MODELS: Record<string, string> = { 'gemini-cli-oauth': 'gemini-2.5-flash', 'claude-kiro-oauth': 'claude-sonnet-4-5' }

async function chat(provider: string, text: string): Promise<Response> {
  return post(gw, `/${provider}/v1/chat/completions`, { model: MODELS[provider] ?? 'gpt-4o-mini', messages: [{ role: 'user', content: text }] })
}

describe('outbound proxy', () => {
  test('the proxied member’s chat goes through the proxy (absolute-form, with credentials); the member with PROXY_URL "" goes direct', async () => {
    for (let i = 0; i < 8 && (proxied.journal.length === 0 || direct.journal.length === 0); i++)
      expect((await chat('openai-custom', `hi ${i}`)).status).toBe(200)
    expect(proxied.journal.length).toBeGreaterThan(0)
    expect(direct.journal.length).toBeGreaterThan(0)
    const forOpenAI = proxy.records.filter((record) => portOf(record.target) === proxied.port)
    expect(forOpenAI.length).toBe(proxied.journal.length)
    expect(forOpenAI[0]).toEqual({
      method: 'POST',
      target: `${proxied.url}/chat/completions`,
      proxyAuthorization: `Basic ${Buffer.from(`gateway:${PROXY_PASSWORD}`).toString('base64')}`,
    })
    expect(proxiedPorts().has(direct.port)).toBe(false)
  })

  test('gemini-cli-oauth: token refresh, project discovery and chat all go through the proxy', async () => {
    expect((await chat('gemini-cli-oauth', 'via google')).status).toBe(200)
    const targets = proxy.records.map((record) => record.target)
    expect(targets).toContain(google.tokenUrl)
    expect(targets.some((target) => target.endsWith(':loadCodeAssist'))).toBe(true)
    expect(targets.some((target) => target.endsWith(':generateContent'))).toBe(true)
    const googlePorts = new Set([portOf(google.tokenUrl), portOf(google.codeAssistUrl)])
    expect(google.journal.every((entry) => proxy.records.some((record) => googlePorts.has(portOf(record.target)) && record.target.includes(entry.path)))).toBe(
      true,
    )
  })

  test('claude-kiro-oauth: the token refresh and the chat go through the proxy', async () => {
    expect((await chat('claude-kiro-oauth', 'via kiro')).status).toBe(200)
    const targets = proxy.records.map((record) => record.target)
    expect(targets.some((target) => target.startsWith(kiro.origin) && target.endsWith('/refreshToken'))).toBe(true)
    expect(targets.some((target) => target.startsWith(kiro.origin) && target.endsWith('/generateAssistantResponse'))).toBe(true)
  })

  test('an https:// upstream is tunnelled with CONNECT', async () => {
    const res = await fetch(`${gw.url}/claude-custom/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': gw.key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'tunnel' }] }),
    })
    expect(res.status).toBe(200)
    expect(proxy.records.filter((record) => record.method === 'CONNECT').map((record) => record.target)).toContain(`127.0.0.1:${Number(tlsFront.port)}`)
  })

  test('health probes of proxied members go through it too', async () => {
    const pools = gw.gateway.pools as PoolsRuntime
    // Members that just served traffic are not probed; after one pass they count as idle.
    await pools.runHealthPass()
    const before = proxy.records.length
    await pools.runHealthPass()
    const probes = proxy.records.slice(before).map((record) => portOf(record.target))
    expect(probes).toContain(proxied.port)
    expect(probes).not.toContain(direct.port)
  })

  test('exactly the proxied traffic: nothing of the direct member; the proxy password is in no log line and not in /pools', async () => {
    expect(proxiedPorts()).toEqual(new Set([proxied.port, portOf(google.tokenUrl), portOf(google.codeAssistUrl), Number(tlsFront.port), portOf(kiro.origin)]))
    const pools = await (await fetch(`${gw.url}/pools`, { headers: { authorization: `Bearer ${gw.key}` } })).text()
    for (const text of [pools, ...gw.logs]) {
      expect(text).not.toContain(PROXY_PASSWORD)
      expect(text).not.toContain(encodeURIComponent(PROXY_PASSWORD))
    }
  })
})
