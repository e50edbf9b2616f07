// The built-in local-echo provider through the running gateway, with the official SDKs.
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'

let gw: TestGateway
beforeAll(async () => {
  gw = await startGateway()
})
afterAll(() => gw.stop())

const text = 'Hello, café 😀 世界 — echo me'

describe('local-echo with the official SDKs', () => {
  test('OpenAI SDK non-stream and stream', async () => {
    const client = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.key })
    const res = await client.chat.completions.create({ model: 'any', messages: [{ role: 'user', content: text }] })
    expect(res.choices[0]?.message.content).toBe(text)
    expect(res.choices[0]?.finish_reason).toBe('stop')
    expect(res.usage?.prompt_tokens).toBeGreaterThan(0)
    expect(res.usage?.completion_tokens).toBeGreaterThan(0)

    const stream = await client.chat.completions.create({
      model: 'any',
      messages: [{ role: 'user', content: text }],
      stream: true,
      stream_options: { include_usage: true },
    })
    let streamed = ''
    let chunks = 0
    let usage: OpenAI.CompletionUsage | undefined
    for await (const chunk of stream) {
      chunks++
      streamed += chunk.choices[0]?.delta.content ?? ''
      if (chunk.usage) usage = chunk.usage
    }
    expect(streamed).toBe(text)
    expect(chunks).toBeGreaterThan(3)
    expect(usage?.completion_tokens).toBeGreaterThan(0)
  })

  test('Anthropic SDK non-stream and stream', async () => {
    const client = new Anthropic({ baseURL: gw.url, apiKey: gw.key })
    const res = await client.messages.create({ model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: text }] })
    expect(res.content[0]?.type === 'text' && res.content[0].text).toBe(text)
    expect(res.stop_reason).toBe('end_turn')
    const final = await client.messages.stream({ model: 'claude-x', max_tokens: 100, messages: [{ role: 'user', content: text }] }).finalMessage()
    expect(final.content[0]?.type === 'text' && final.content[0].text).toBe(text)
    expect(final.usage.output_tokens).toBeGreaterThan(0)
  })

  test('Gemini SDK non-stream and stream', async () => {
    const client = new GoogleGenAI({ apiKey: gw.key, httpOptions: { baseUrl: gw.url } })
    const res = await client.models.generateContent({ model: 'gemini-2.5-flash', contents: text })
    expect(res.text).toBe(text)
    let streamed = ''
    for await (const chunk of await client.models.generateContentStream({ model: 'gemini-2.5-flash', contents: text })) streamed += chunk.text ?? ''
    expect(streamed).toBe(text)
  })

  test('every answer carries the selection headers', async () => {
    const res = await post(gw, '/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'hi' }] })
    expect(res.headers.get('x-switchboard-provider')).toBe('local-echo')
    expect(res.headers.get('x-switchboard-instance')).toBe('default')
    expect(res.headers.get('x-switchboard-attempts')).toBe('1')
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
  })

  test('model lists in each dialect', async () => {
    const openai = (await (await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${gw.key}` } })).json()) as {
      object: string
      data: Array<{ id: string }>
    }
    expect(openai.object).toBe('list')
    expect(openai.data[0]?.id).toBe('local-echo')
    const anthropic = (await (await fetch(`${gw.url}/v1/models`, { headers: { 'x-api-key': gw.key, 'anthropic-version': '2023-06-01' } })).json()) as {
      data: Array<{ type: string }>
    }
    expect(anthropic.data[0]?.type).toBe('model')
    const gemini = (await (await fetch(`${gw.url}/v1beta/models?key=${gw.key}`)).json()) as { models: Array<{ name: string }> }
    expect(gemini.models[0]?.name).toBe('models/local-echo')
  })

  test('count_tokens answers with an estimate', async () => {
    const res = await fetch(`${gw.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'x-api-key': gw.key, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'count these words please' }] }),
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0)
  })
})
