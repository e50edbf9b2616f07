// GET /metrics after a known mix of traffic: counts by dialect/provider/member/status,
// tokens, failovers, histograms, pool gauges; valid for `promtool check metrics`; behind the
// key unless METRICS_AUTH=false.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { anthropicBody, openaiBody, parseExposition, startPool, sumOf, type PoolSetup } from './helpers.ts'
import { post } from '../helpers/gateway.ts'

const promtool = Bun.which('promtool')
let setup: PoolSetup
let text: string

beforeAll(async () => {
  setup = await startPool()
  const { gw, fakes } = setup
  // Both members fail once: the first request fails over twice, then succeeds on a retry.
  fakes['member-a'].enqueue({ kind: 'status', status: 500 })
  fakes['member-b'].enqueue({ kind: 'status', status: 500 })
  expect((await post(gw, '/v1/chat/completions', openaiBody())).status).toBe(200)
  for (let i = 0; i < 3; i++) expect((await post(gw, '/v1/chat/completions', openaiBody())).status).toBe(200)
  for (let i = 0; i < 2; i++) {
    const response = await post(gw, '/v1/chat/completions', openaiBody(true))
    expect(await response.text()).toContain('[DONE]')
  }
  expect((await post(gw, '/v1/messages', anthropicBody())).status).toBe(200)
  expect((await post(gw, '/v1/chat/completions', openaiBody(), { authorization: 'Bearer wrong-key' })).status).toBe(401)
  expect((await post(gw, '/v1/messages', '{not json')).status).toBe(400)
  const response = await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${gw.key}` } })
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toContain('text/plain')
  text = await response.text()
})
afterAll(() => setup.stop())

describe('GET /metrics', () => {
  test('counts requests by dialect, provider, member and status', () => {
    const samples = parseExposition(text)
    expect(sumOf(samples, 'switchboard_requests_total', { dialect: 'openai', provider: 'openai-custom', status: '200' })).toBe(6)
    expect(sumOf(samples, 'switchboard_requests_total', { dialect: 'anthropic', provider: 'openai-custom', status: '200' })).toBe(1)
    expect(sumOf(samples, 'switchboard_requests_total', { dialect: 'openai', status: '401' })).toBe(1)
    expect(sumOf(samples, 'switchboard_requests_total', { dialect: 'anthropic', status: '400' })).toBe(1)
    const byMember = ['member-a', 'member-b'].map((instance) => sumOf(samples, 'switchboard_requests_total', { status: '200', instance }))
    expect(byMember.reduce((a, b) => a + b, 0)).toBe(7)
  })

  test('counts failovers and the tokens the upstream reported', () => {
    const samples = parseExposition(text)
    expect(sumOf(samples, 'switchboard_failovers_total', { provider: 'openai-custom' })).toBe(2)
    // 6 answers that report usage (4 plain, 2 streams with include_usage) plus the converted Anthropic one.
    expect(sumOf(samples, 'switchboard_tokens_total', { provider: 'openai-custom', type: 'input' })).toBeGreaterThanOrEqual(7)
    expect(sumOf(samples, 'switchboard_tokens_total', { provider: 'openai-custom', type: 'output' })).toBeGreaterThanOrEqual(7)
  })

  test('fills the duration, time-to-first-byte and overhead histograms', () => {
    const samples = parseExposition(text)
    expect(sumOf(samples, 'switchboard_request_duration_seconds_count', { dialect: 'openai', provider: 'openai-custom' })).toBe(6)
    expect(sumOf(samples, 'switchboard_request_duration_seconds_bucket', { dialect: 'openai', provider: 'openai-custom', le: '+Inf' })).toBe(6)
    expect(sumOf(samples, 'switchboard_upstream_ttfb_seconds_count', { provider: 'openai-custom' })).toBe(7)
    // The overhead histogram resolves sub-millisecond times: its first bucket is 0.1 ms.
    expect(samples.has('switchboard_gateway_overhead_seconds_bucket{dialect="openai",le="0.0001"}')).toBe(true)
    expect(sumOf(samples, 'switchboard_gateway_overhead_seconds_count', { dialect: 'openai' })).toBe(7)
    expect(samples.has('switchboard_request_duration_seconds_bucket{dialect="openai",provider="openai-custom",le="600"}')).toBe(true)
  })

  test('shows whether each pool member is in rotation (the one whose 500 was not followed by a success rests), and nothing in flight', () => {
    const samples = parseExposition(text)
    const members = setup.gw.gateway.pools.snapshot()['openai-custom'] ?? []
    expect(members.map((member) => member.uuid).sort()).toEqual(['member-a', 'member-b'])
    for (const member of members) {
      const inRotation = member.healthy && !member.disabled && member.cooldownUntil === null ? 1 : 0
      expect(samples.get(`switchboard_pool_member_up{provider="openai-custom",instance="${member.uuid}"}`)).toBe(inRotation)
      expect(samples.get(`switchboard_pool_member_in_flight{provider="openai-custom",instance="${member.uuid}"}`)).toBe(0)
    }
    expect(sumOf(samples, 'switchboard_pool_member_up')).toBe(1)
  })

  test('includes the process metrics', () => {
    const samples = parseExposition(text)
    for (const name of ['process_resident_memory_bytes', 'process_cpu_seconds_total', 'process_open_fds']) expect(sumOf(samples, name)).toBeGreaterThan(0)
  })

  test('carries no secret and no prompt text', () => {
    for (const secret of [setup.gw.key, 'sk-observe-member-a-secret', 'secret prompt']) expect(text).not.toContain(secret)
  })

  test.skipIf(!promtool)('passes promtool check metrics', async () => {
    const check = Bun.spawn([promtool as string, 'check', 'metrics'], { stdin: new TextEncoder().encode(text), stdout: 'pipe', stderr: 'pipe' })
    const [code, out, err] = await Promise.all([check.exited, new Response(check.stdout).text(), new Response(check.stderr).text()])
    expect(`${out}${err}`).toBe('')
    expect(code).toBe(0)
  })
  if (!promtool) console.warn("metrics.test.ts: promtool not found (Debian package 'prometheus'; .ci/run installs it): the promtool check is skipped")

  test('needs the key by default', async () => {
    expect((await fetch(`${setup.gw.url}/metrics`)).status).toBe(401)
  })
})

test('model lists count as API traffic (no member picked)', async () => {
  const fresh = await startPool()
  try {
    expect((await fetch(`${fresh.gw.url}/v1/models`, { headers: { authorization: `Bearer ${fresh.gw.key}` } })).status).toBe(200)
    const samples = parseExposition(fresh.gw.gateway.observer.metrics.scrape().text)
    expect(samples.get('switchboard_requests_total{dialect="openai",provider="openai-custom",instance="none",status="200"}')).toBe(1)
  } finally {
    await fresh.stop()
  }
})

describe('METRICS_AUTH=false', () => {
  test('opens /metrics to scrapers without a key, and nothing else', async () => {
    const open = await startPool({ METRICS_AUTH: false })
    try {
      expect((await fetch(`${open.gw.url}/metrics`)).status).toBe(200)
      expect((await fetch(`${open.gw.url}/pools`)).status).toBe(401)
      expect((await fetch(`${open.gw.url}/dashboard/data`)).status).toBe(401)
    } finally {
      await open.stop()
    }
  })
})
