// Model lists in each client's shape, and token counting, for the selected provider.
import Anthropic from '@anthropic-ai/sdk'
import { expect, test } from 'bun:test'
import OpenAI from 'openai'
import { TEXT } from './ask.ts'
import type { MatrixContext } from './context.ts'

export function listingTests(ctx: MatrixContext): void {
  test('/v1/models lists the provider’s models in OpenAI shape', async () => {
    const client = new OpenAI({ baseURL: `${ctx.gw.url}/v1`, apiKey: ctx.gw.key, maxRetries: 0 })
    const ids: string[] = []
    for await (const model of client.models.list()) {
      expect(model.object).toBe('model')
      ids.push(model.id)
    }
    expect(ids).toContain(ctx.upstream.model)
  })

  test('/v1/models lists the provider’s models in Anthropic shape', async () => {
    const client = new Anthropic({ baseURL: ctx.gw.url, apiKey: ctx.gw.key, maxRetries: 0 })
    const page = await client.models.list()
    expect(page.data.every((model) => model.type === 'model')).toBe(true)
    expect(page.data.map((model) => model.id)).toContain(ctx.upstream.model)
  })

  test('/v1beta/models lists the provider’s models in Gemini shape', async () => {
    const res = await fetch(`${ctx.gw.url}/v1beta/models`, { headers: { 'x-goog-api-key': ctx.gw.key } })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { models: Array<{ name: string }> }
    expect(body.models.map((model) => model.name)).toContain(`models/${ctx.upstream.model}`)
  })

  test('/v1/messages/count_tokens answers with a positive count', async () => {
    const res = await fetch(`${ctx.gw.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'x-api-key': ctx.gw.key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body: JSON.stringify({ model: ctx.upstream.model, system: 'Be brief.', messages: [{ role: 'user', content: TEXT }] }),
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0)
  })

  test(':countTokens answers Gemini clients with a positive count', async () => {
    const res = await fetch(`${ctx.gw.url}/v1beta/models/${ctx.upstream.model}:countTokens`, {
      method: 'POST',
      headers: { 'x-goog-api-key': ctx.gw.key, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: TEXT }] }] }),
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as { totalTokens: number }).totalTokens).toBeGreaterThan(0)
  })
}
