// FALLBACK_CHAIN through a running gateway: when the selected provider has no member left
// to try (5xx, every member resting after a 429, nothing configured), the next provider
// of its chain answers in the client's dialect, streamed or not; a request-caused 4xx never
// moves on. The fakes' journals show who was asked.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic/index.ts'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'
import type { Upstream } from './matrix/harness/upstream.ts'
import { geminiCliUpstream } from './matrix/harness/upstreams/gemini-cli-oauth.ts'

let openaiFake: FakeOpenAI
let anthropicFake: FakeAnthropic
let google: Upstream
let gw: TestGateway

beforeAll(async () => {
  openaiFake = await startFakeOpenAI({ apiKey: 'sk-fallback-openai' })
  anthropicFake = await startFakeAnthropic({ apiKey: 'sk-ant-fallback' })
  google = await geminiCliUpstream()
})
afterAll(async () => {
  await openaiFake.stop()
  await anthropicFake.stop()
  await google.stop()
})
// A fresh gateway per test: member rests from one test must not steer the next.
beforeEach(async () => {
  gw = await startGateway({
    MODEL_PROVIDER: 'openai-custom',
    OPENAI_API_KEY: 'sk-fallback-openai',
    OPENAI_BASE_URL: openaiFake.url,
    CLAUDE_API_KEY: 'sk-ant-fallback',
    CLAUDE_BASE_URL: anthropicFake.url,
    ...google.config,
    FALLBACK_CHAIN: {
      'openai-custom': [
        { provider: 'gemini-cli-oauth', model: 'gemini-2.5-flash' },
        { provider: 'claude-custom', model: 'claude-sonnet-4-5' },
      ],
      'claude-kiro-oauth': [{ provider: 'openai-custom', model: 'gpt-4o' }],
    },
  })
})
afterEach(async () => {
  await gw.stop()
  expect(openaiFake.pending()).toBe(0)
})

const openai = () => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.key, maxRetries: 0 })
const geminiCalls = () => google.chatBodies().length
const lastModel = (fake: FakeOpenAI | FakeAnthropic) => (fake.journal.at(-1)?.json as { model?: string } | undefined)?.model
/** A raw OpenAI request, to read the status of an error answer. */
const postChat = (text: string) => post(gw, '/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: text }] })
const selection = (response: Response) => ({
  provider: response.headers.get('x-switchboard-provider'),
  attempts: response.headers.get('x-switchboard-attempts'),
})

describe('FALLBACK_CHAIN', () => {
  test('an OpenAI client whose provider answers 500 is answered by gemini-cli-oauth, converted, attempts counted across the chain', async () => {
    openaiFake.enqueue({ kind: 'status', status: 500 })
    const { data, response } = await openai()
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'fall back' }] })
      .withResponse()
    expect(selection(response)).toEqual({ provider: 'gemini-cli-oauth', attempts: '2' })
    expect(data.choices[0]?.message.content).toBe(google.echo('fall back'))
  })

  test('streamed: a 503 before the first byte falls back and the client gets a normal OpenAI stream', async () => {
    openaiFake.enqueue({ kind: 'status', status: 503 })
    const { data: stream, response } = await openai()
      .chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'stream fall back' }] })
      .withResponse()
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe(google.echo('stream fall back'))
    expect(selection(response)).toEqual({ provider: 'gemini-cli-oauth', attempts: '2' })
  })

  test('the chain goes on: openai-custom and gemini-cli-oauth fail, claude-custom answers an Anthropic client with the step’s model', async () => {
    openaiFake.enqueue({ kind: 'status', status: 500 })
    google.failWithStatus(500 as 400, 'backend error', undefined, false)
    const client = new Anthropic({ baseURL: gw.url, apiKey: gw.key, maxRetries: 0 })
    const { data, response } = await client.messages.create({ model: 'gpt-4o', max_tokens: 64, messages: [{ role: 'user', content: 'third' }] }).withResponse()
    expect(selection(response)).toEqual({ provider: 'claude-custom', attempts: '3' })
    expect(data.content[0]?.type === 'text' && data.content[0].text).toBe('echo: third')
    expect(lastModel(anthropicFake)).toBe('claude-sonnet-4-5')
  })

  test('a 429 rests the only member: that request and the next go to the chain, the next without asking the resting member', async () => {
    openaiFake.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '60' } })
    const ask = () =>
      openai()
        .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'quota' }] })
        .withResponse()
    expect(selection((await ask()).response)).toEqual({ provider: 'gemini-cli-oauth', attempts: '2' })
    const asked = openaiFake.journal.length
    expect(selection((await ask()).response)).toEqual({ provider: 'gemini-cli-oauth', attempts: '1' })
    expect(openaiFake.journal.length).toBe(asked)
  })

  test('a provider with no members (not configured) falls back at once: a Gemini SDK client asking for claude-kiro-oauth/… gets openai-custom, streamed', async () => {
    const gemini = new GoogleGenAI({ apiKey: gw.key, httpOptions: { baseUrl: gw.url } })
    let text = ''
    for await (const chunk of await gemini.models.generateContentStream({ model: 'claude-kiro-oauth/claude-sonnet-4-5', contents: 'no kiro' }))
      text += chunk.text ?? ''
    expect(text).toBe('echo: no kiro')
    expect(lastModel(openaiFake)).toBe('gpt-4o')
  })

  test('a 400 caused by the request is answered as is: no fallback', async () => {
    openaiFake.enqueue({ kind: 'status', status: 400 })
    const before = { gemini: geminiCalls(), anthropic: anthropicFake.journal.length }
    const res = await postChat('bad')
    expect(res.status).toBe(400)
    expect(selection(res)).toEqual({ provider: 'openai-custom', attempts: '1' })
    expect({ gemini: geminiCalls(), anthropic: anthropicFake.journal.length }).toEqual(before)
  })

  test('when the whole chain fails, the last failure is answered, with every attempt counted (the last provider keeps its retries)', async () => {
    openaiFake.enqueue({ kind: 'status', status: 500 })
    google.failWithStatus(500 as 400, 'backend error', undefined, false)
    // 1 + REQUEST_MAX_RETRIES (3) attempts on claude-custom's only member.
    for (let i = 0; i < 4; i++) anthropicFake.enqueue({ kind: 'status', status: 529 })
    const res = await postChat('all down')
    expect(res.status).toBe(529)
    expect(selection(res)).toEqual({ provider: 'claude-custom', attempts: '6' })
    expect(anthropicFake.pending()).toBe(0)
  })
})
