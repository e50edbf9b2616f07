// What only the Responses API has: stored answers continue a conversation through
// `previous_response_id` (the provider receives the whole conversation), `store: false`
// keeps nothing, and a stored answer can be read back — streamed or not.
import { expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import OpenAI from 'openai'
import { sseFrames } from './clients.ts'
import { TEXT } from './ask.ts'
import type { MatrixContext } from './context.ts'
import { mode, receivedDuring } from './suite-conversation.ts'

export function responsesTests(ctx: MatrixContext): void {
  const client = () => new OpenAI({ baseURL: `${ctx.gw.url}/v1`, apiKey: ctx.gw.key, maxRetries: 0 })
  const retrieve = (id: string) => fetch(`${ctx.gw.url}/v1/responses/${id}`, { headers: { authorization: `Bearer ${ctx.gw.key}` } })

  for (const stream of [false, true]) {
    test(`previous_response_id continues the conversation over two turns (${mode(stream)})`, async () => {
      const ask = (input: string, previous?: string) => {
        const body = { model: ctx.upstream.model, input, ...(previous ? { previous_response_id: previous } : {}) }
        return stream ? client().responses.stream(body).finalResponse() : client().responses.create(body)
      }
      const first = await ask('Erste Frage 🥇')
      const { result: second, body } = await receivedDuring(ctx, () => ask(TEXT, first.id))
      expect(ctx.upstream.turns(body)).toEqual([
        { role: 'user', text: 'Erste Frage 🥇' },
        { role: 'assistant', text: first.output_text },
        { role: 'user', text: TEXT },
      ])
      expect(second.output_text).toBe(ctx.upstream.echo(TEXT))
      const stored = await retrieve(second.id)
      expect(stored.status).toBe(200)
      expect(await stored.json()).toMatchObject({ id: second.id, object: 'response', status: 'completed' })
    })
  }

  test('a Codex CLI request (store: false, input items, function tools, stream) gets a complete event stream', async () => {
    const codex = JSON.parse(readFileSync(join(import.meta.dir, '../../../fixtures/responses/codex-request.json'), 'utf8')) as Record<string, unknown>
    const { result: res, body } = await receivedDuring(ctx, () =>
      fetch(`${ctx.gw.url}/v1/responses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ctx.gw.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...codex, model: ctx.upstream.model }),
      }),
    )
    expect(res.status).toBe(200)
    const frames = sseFrames(await res.text())
    expect(frames.at(-1)?.event).toBe('response.completed')
    // A Responses upstream gets the body untouched; converted, built-in and namespace tools stay behind.
    const passthrough = ctx.upstream.provider === 'openai-responses-custom'
    const names = ctx.upstream.tools(body).map((tool) => tool.name)
    expect(names).toEqual(passthrough ? ['exec_command', 'write_stdin', 'multi_agent_v1', ''] : ['exec_command', 'write_stdin'])
    expect(ctx.upstream.turns(body).at(-1)?.role).toBe('user')
  })

  test('store: false keeps nothing: the id is unknown afterwards, as a 400 in OpenAI shape', async () => {
    const answer = await client().responses.create({ model: ctx.upstream.model, input: TEXT, store: false })
    expect((await retrieve(answer.id)).status).toBe(404)
    const res = await fetch(`${ctx.gw.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.gw.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: ctx.upstream.model, input: TEXT, previous_response_id: answer.id }),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining(answer.id) } })
  })
}
