// Claude Code's own request shape (tests/fixtures/anthropic/claude-code-request.json): a
// system message after the user turn, `?beta=true`, a `HEAD /` probe without a key. Every
// provider takes it: converted ones carry the mid-conversation system text where their wire
// allows, claude-custom gets the exact bytes and the query.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ProviderId } from '../../src/providers/types.ts'
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic/index.ts'
import { kiroUpstream } from './matrix/harness/upstreams/claude-kiro-oauth.ts'
import { geminiCliUpstream } from './matrix/harness/upstreams/gemini-cli-oauth.ts'
import { openaiCustomUpstream } from './matrix/harness/upstreams/openai-custom.ts'
import type { Body, Upstream } from './matrix/harness/upstream.ts'
import { startGateway, type TestGateway } from '../helpers/gateway.ts'

const fixture = JSON.parse(readFileSync(join(import.meta.dir, '../fixtures/anthropic/claude-code-request.json'), 'utf8')) as {
  path: string
  headers: Record<string, string>
  body: Record<string, unknown>
}
const MID_SYSTEM = (fixture.body.messages as Array<{ role: string; content: string }>)[1]?.content as string

const CLAUDE_KEY = 'sk-ant-fake-claude-code-key-1'
let gw: TestGateway
let claudeFake: FakeAnthropic
const upstreams = new Map<ProviderId, Upstream>()

beforeAll(async () => {
  for (const upstream of await Promise.all([openaiCustomUpstream(), geminiCliUpstream(), kiroUpstream()])) {
    upstreams.set(upstream.provider, upstream)
  }
  claudeFake = await startFakeAnthropic({ apiKey: CLAUDE_KEY })
  const config = Object.assign({}, ...[...upstreams.values()].map((upstream) => upstream.config))
  gw = await startGateway({ ...config, CLAUDE_API_KEY: CLAUDE_KEY, CLAUDE_BASE_URL: claudeFake.url, MODEL_PROVIDER: 'local-echo' })
})
afterAll(async () => {
  await gw.stop()
  await claudeFake.stop()
  await Promise.all([...upstreams.values()].map((upstream) => upstream.stop()))
})

/** Sends the fixture as Claude Code does, optionally under a provider segment and with another model. */
async function send(prefix: string, model?: string, body: string = JSON.stringify({ ...fixture.body, ...(model ? { model } : {}) })): Promise<Response> {
  return fetch(`${gw.url}${prefix}${fixture.path}`, { method: 'POST', headers: { ...fixture.headers, 'x-api-key': gw.key }, body })
}

async function lastBody(provider: ProviderId, work: () => Promise<Response>): Promise<{ response: Response; body: Body }> {
  const upstream = upstreams.get(provider) as Upstream
  const response = await work()
  const text = await response.text()
  expect([response.status, text.includes('event: message_stop')]).toEqual([200, true])
  return { response, body: upstream.chatBodies().at(-1) as Body }
}

describe("Claude Code's default request", () => {
  test('HEAD on the base URL answers 200 without a key (Claude Code probes it first)', async () => {
    for (const path of ['/', '/claude-kiro-oauth', '/openai-custom/']) expect((await fetch(`${gw.url}${path}`, { method: 'HEAD' })).status).toBe(200)
    expect((await fetch(`${gw.url}/v1/models`, { method: 'HEAD' })).status).toBe(401)
    expect((await fetch(`${gw.url}/no-such-provider`, { method: 'HEAD' })).status).toBe(401)
  })

  test('local-echo answers it as a stream', async () => {
    const response = await send('')
    const text = await response.text()
    expect(response.status).toBe(200)
    expect(text).toContain('event: message_stop')
    expect(text).toContain('hi')
  })

  test('openai-custom gets the system message in place, after the user turn', async () => {
    const upstream = upstreams.get('openai-custom') as Upstream
    const { body } = await lastBody('openai-custom', () => send('/openai-custom', upstream.model))
    const roles = (body.messages as Array<{ role: string; content: unknown }>).map((message) => message.role)
    expect(roles).toEqual(['system', 'system', 'system', 'user', 'system'])
    expect((body.messages as Array<{ content: unknown }>).at(-1)?.content).toBe(MID_SYSTEM)
  })

  test('gemini-cli-oauth gets it at the end of systemInstruction', async () => {
    const upstream = upstreams.get('gemini-cli-oauth') as Upstream
    const { body } = await lastBody('gemini-cli-oauth', () => send('/gemini-cli-oauth', upstream.model))
    expect(upstream.system(body).at(-1)).toBe(MID_SYSTEM)
    expect(upstream.turns(body).map((turn) => turn.role)).toEqual(['user'])
  })

  test('claude-kiro-oauth gets it as text of the user turn at its position', async () => {
    const upstream = upstreams.get('claude-kiro-oauth') as Upstream
    const { body } = await lastBody('claude-kiro-oauth', () => send('/claude-kiro-oauth', upstream.model))
    expect(upstream.turns(body)).toHaveLength(1)
    const current = (body.conversationState as { currentMessage: { userInputMessage: { content: string } } }).currentMessage.userInputMessage
    expect(current.content.endsWith(`hi\n\n${MID_SYSTEM}`)).toBe(true)
  })

  test('claude-custom gets the exact bytes, the beta header and ?beta=true', async () => {
    const raw = JSON.stringify({ ...fixture.body, model: 'claude-opus-4-1-20250805' })
    const response = await send('/claude-custom', undefined, raw)
    expect([response.status, (await response.text()).includes('event: message_stop')]).toEqual([200, true])
    const seen = claudeFake.journal.at(-1)
    expect(seen?.rawBody).toBe(raw)
    expect(seen?.query).toEqual({ beta: 'true' })
    expect(seen?.headers['anthropic-beta']).toBe(fixture.headers['anthropic-beta'])
  })

  test('the gateway key sent as ?key= is not forwarded with the query', async () => {
    const raw = JSON.stringify({ ...fixture.body, model: 'claude-opus-4-1-20250805' })
    const headers: Record<string, string> = { ...fixture.headers }
    const response = await fetch(`${gw.url}/claude-custom${fixture.path}&key=${gw.key}`, { method: 'POST', headers, body: raw })
    expect(response.status).toBe(200)
    await response.text()
    expect(claudeFake.journal.at(-1)?.query).toEqual({ beta: 'true' })
  })
})
