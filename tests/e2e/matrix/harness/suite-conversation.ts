// Text, turns, system prompt, sampling parameters, usage and finish reasons: what the
// fake received (in its own wire shape) and what the official SDK got back.
import { expect, test } from 'bun:test'
import type { Dialect } from '../../../../src/dialects/types.ts'
import { TEXT, type Ask } from './ask.ts'
import { chat, FINISH } from './clients.ts'
import type { MatrixContext } from './context.ts'
import type { MatrixSpec } from './define.ts'
import type { Body } from './upstream.ts'

export const mode = (stream: boolean) => (stream ? 'stream' : 'non-stream')

export const SYSTEM = 'Antworte kurz 🙂 — réponds brièvement.'

/** The one body the fake received during `work` (the gateway must not retry or split a request). */
export async function receivedDuring<T>(ctx: MatrixContext, work: () => Promise<T>): Promise<{ result: T; body: Body }> {
  const before = ctx.upstream.chatBodies().length
  const result = await work()
  const bodies = ctx.upstream.chatBodies()
  expect(bodies.length).toBe(before + 1)
  return { result, body: bodies.at(-1) as Body }
}

export function conversationTests(ctx: MatrixContext, dialect: Dialect, spec: MatrixSpec): void {
  const ask = (extra: Partial<Ask> = {}): Ask => ({ model: ctx.upstream.model, turns: [{ role: 'user', text: TEXT }], ...extra })

  for (const stream of [false, true]) {
    test(`non-ASCII text and emoji survive both ways (${mode(stream)})`, async () => {
      const { result: answer, body } = await receivedDuring(ctx, () => chat(dialect, ctx.gw, ask(), stream))
      expect(ctx.upstream.turns(body)).toEqual([{ role: 'user', text: TEXT }])
      expect(answer.text).toBe(ctx.upstream.echo(TEXT))
      expect(answer.finish).toBe(FINISH[dialect].stop)
      expect(answer.calls).toEqual([])
    })
  }

  test('a multi-turn conversation reaches the fake in order', async () => {
    const turns: Ask['turns'] = [
      { role: 'user', text: 'Erste Frage 🥇' },
      { role: 'assistant', text: 'Erste Antwort ✓' },
      { role: 'user', text: TEXT },
    ]
    const { result: answer, body } = await receivedDuring(ctx, () => chat(dialect, ctx.gw, ask({ turns }), false))
    expect(ctx.upstream.turns(body)).toEqual(turns.map(({ role, text }) => ({ role, text })))
    expect(answer.text).toBe(ctx.upstream.echo(TEXT))
  })

  test('the system prompt arrives in the provider’s system slot', async () => {
    const { result: answer, body } = await receivedDuring(ctx, () => chat(dialect, ctx.gw, ask({ system: SYSTEM }), true))
    expect(ctx.upstream.system(body)).toEqual([SYSTEM])
    expect(ctx.upstream.turns(body)).toEqual([{ role: 'user', text: TEXT }])
    expect(answer.text.endsWith(TEXT)).toBe(true)
  })

  if (dialect === 'openai') {
    test('a developer message is a system prompt too', async () => {
      const { body } = await receivedDuring(ctx, () => chat(dialect, ctx.gw, ask({ system: SYSTEM, developer: true }), false))
      expect(ctx.upstream.system(body)).toEqual([SYSTEM])
    })
  }

  test('temperature 0, top_p, top_k, stop sequences and max tokens arrive as given', async () => {
    // The Responses API has neither stop sequences nor top_k.
    const params =
      dialect === 'responses' ? { temperature: 0, topP: 0.9, maxTokens: 64 } : { temperature: 0, topP: 0.9, topK: 40, stop: ['END', '停'], maxTokens: 64 }
    const { body } = await receivedDuring(ctx, () => chat(dialect, ctx.gw, ask(params), false))
    // Documented losses: the OpenAI wire has no top_k (kept only when an OpenAI client's body
    // passes through); Kiro's wire has none of these fields.
    const { topK, ...withoutTopK } = params as { topK?: number }
    // The Responses wire has no stop sequences either.
    const { stop, ...neither } = withoutTopK as { stop?: string[] }
    const expected =
      spec.dialect === 'responses'
        ? neither
        : (spec.dialect === 'openai' && dialect !== 'openai') || topK === undefined
          ? withoutTopK
          : { ...withoutTopK, topK }
    expect(ctx.upstream.params(body)).toEqual(ctx.upstream.carriesParams ? expected : {})
  })

  if (dialect !== 'anthropic') {
    test('without max tokens from the client, only a provider that requires them gets a default', async () => {
      const { body } = await receivedDuring(ctx, () => chat(dialect, ctx.gw, ask(), false))
      expect(ctx.upstream.params(body).maxTokens).toBe(ctx.upstream.defaultMaxTokens)
    })
  }

  test('usage is non-zero and consistent, streamed or not', async () => {
    const whole = await chat(dialect, ctx.gw, ask(), false)
    const streamed = await chat(dialect, ctx.gw, ask(), true)
    for (const usage of [whole.usage, streamed.usage]) {
      expect(usage.input).toBeGreaterThan(0)
      expect(usage.output).toBeGreaterThan(0)
      expect(usage.total).toBe(usage.input + usage.output)
    }
    expect(streamed.usage.output).toBe(whole.usage.output)
  })

  if (spec.contentFilter) {
    for (const stream of [false, true]) {
      test(`an answer stopped by the content filter says so in the client’s dialect (${mode(stream)})`, async () => {
        ctx.upstream.answerFiltered?.('Dazu sage ich nichts', stream)
        const answer = await chat(dialect, ctx.gw, ask(), stream)
        expect(answer.finish).toBe(FINISH[dialect].content_filter)
        expect(answer.text).toBe('Dazu sage ich nichts')
      })
    }
  }

  if (spec.lengthStop) {
    for (const stream of [false, true]) {
      test(`an answer cut by the token limit reports length (${mode(stream)})`, async () => {
        const limit = ctx.upstream.answerLength(stream) ?? {}
        const answer = await chat(dialect, ctx.gw, ask(limit), stream)
        expect(answer.finish).toBe(FINISH[dialect].length)
        expect(answer.text.length).toBeGreaterThan(0)
      })
    }
  }
}
