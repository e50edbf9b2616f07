import { afterEach, describe, expect, test } from 'bun:test'
import type { ChatRequest } from '../../../src/chat/types.ts'
import { startGeminiHarness, type GeminiHarness } from './harness.ts'

let harness: GeminiHarness | undefined
afterEach(() => harness?.fake.stop())

const signal = new AbortController().signal
const canonical: ChatRequest = {
  model: 'gemini-2.5-pro',
  system: [],
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'one two three four' }] }],
  stream: false,
}

describe('gemini-cli-oauth models, counting and probing', () => {
  test('listModels is the static Gemini list with token limits, without calling upstream', async () => {
    harness = startGeminiHarness()
    const models = await harness.client.listModels(signal)
    expect(models.map((model) => model.id)).toEqual([
      'gemini-2.5-pro',
      'gemini-2.5-flash',
      'gemini-2.5-flash-lite',
      'gemini-3-pro-preview',
      'gemini-3-flash-preview',
    ])
    expect(models.every((model) => model.inputTokenLimit === 1_048_576 && model.outputTokenLimit === 65_536)).toBe(true)
    expect(harness.fake.journal).toHaveLength(0)
  })

  test('countTokens converts the request and asks v1internal:countTokens with the models/ prefix and no project', async () => {
    harness = startGeminiHarness()
    expect(await harness.client.countTokens?.(canonical, signal)).toBe(4)
    const [call] = harness.fake.calls('countTokens')
    expect(call?.json).toEqual({ request: { model: 'models/gemini-2.5-pro', contents: [{ role: 'user', parts: [{ text: 'one two three four' }] }] } })
    expect(harness.fake.calls('loadCodeAssist')).toHaveLength(0)
  })

  test('countTokens answers undefined when the count is unavailable, and passes a request error on', async () => {
    harness = startGeminiHarness()
    harness.fake.script('countTokens', { status: 503, body: '{"error":{"code":503,"message":"busy","status":"UNAVAILABLE"}}' })
    expect(await harness.client.countTokens?.(canonical, signal)).toBeUndefined()
    const error = await harness.client.countTokens?.({ ...canonical, model: 'gemini-0' }, signal).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ status: 404, scope: 'request' })
  })

  test('probe sends one generateContent capped at one output token, on gemini-2.5-flash by default', async () => {
    harness = startGeminiHarness()
    await harness.client.probe(undefined, signal)
    await harness.client.probe('gemini-2.5-pro', signal)
    const calls = harness.fake.calls('generateContent').map((entry) => entry.json as { model: string; request: { generationConfig: unknown } })
    expect(calls.map((call) => call.model)).toEqual(['gemini-2.5-flash', 'gemini-2.5-pro'])
    expect(calls[0]?.request.generationConfig).toEqual({ maxOutputTokens: 1 })
  })

  test('probe fails with the upstream error', async () => {
    harness = startGeminiHarness()
    harness.fake.script('generateContent', { status: 500, body: '{"error":{"code":500,"message":"boom","status":"INTERNAL"}}' })
    expect(await harness.client.probe(undefined, signal).catch((caught: unknown) => caught)).toMatchObject({ status: 500, scope: 'member' })
  })
})
