// Request options with no common shape: a forced tool choice, JSON mode and reasoning. The
// expected native values are the conversion table's rows, pair by pair.
import { expect, test } from 'bun:test'
import type { Dialect } from '../../../../src/dialects/types.ts'
import type { ProviderId } from '../../../../src/providers/types.ts'
import { TEXT, TIME_TOOL, WEATHER_TOOL, type Ask } from './ask.ts'
import { chat } from './clients.ts'
import type { MatrixContext } from './context.ts'
import type { MatrixSpec } from './define.ts'
import { mode, receivedDuring } from './suite-conversation.ts'

type Reasoning = { effort?: string; budget?: number } | undefined

/**
 * Reasoning as each provider receives it. OpenAI clients ask for effort `high`; Anthropic and
 * Gemini clients for a budget of 2048 tokens. Effort ↔ budget: low 1024, medium 4096 (Gemini
 * 8192), high 16384 (Gemini 24576, its flash ceiling); budgets up to 8192 are effort medium.
 */
const REASONING: Record<Dialect, Record<Exclude<ProviderId, 'local-echo'>, Reasoning>> = {
  openai: {
    'openai-custom': { effort: 'high' },
    'openai-responses-custom': { effort: 'high' },
    'openai-qwen-oauth': { effort: 'high' },
    'claude-custom': { budget: 16384 },
    'gemini-cli-oauth': { budget: 24576 },
    'claude-kiro-oauth': { effort: 'high' },
  },
  anthropic: {
    'openai-custom': { effort: 'medium' },
    'openai-responses-custom': { effort: 'medium' },
    'openai-qwen-oauth': { effort: 'medium' },
    'claude-custom': { budget: 2048 },
    'gemini-cli-oauth': { budget: 2048 },
    'claude-kiro-oauth': { budget: 2048 },
  },
  responses: {
    'openai-custom': { effort: 'high' },
    'openai-responses-custom': { effort: 'high' },
    'openai-qwen-oauth': { effort: 'high' },
    'claude-custom': { budget: 16384 },
    'gemini-cli-oauth': { budget: 24576 },
    'claude-kiro-oauth': { effort: 'high' },
  },
  gemini: {
    'openai-custom': { effort: 'medium' },
    'openai-responses-custom': { effort: 'medium' },
    'openai-qwen-oauth': { effort: 'medium' },
    'claude-custom': { budget: 2048 },
    'gemini-cli-oauth': { budget: 2048 },
    'claude-kiro-oauth': { budget: 2048 },
  },
}

/** Anthropic has no response_format (an instruction in the system prompt instead); Kiro has neither. */
const JSON_MODE: Record<Exclude<ProviderId, 'local-echo'>, 'json_object' | 'instruction' | undefined> = {
  'openai-custom': 'json_object',
  'openai-responses-custom': 'json_object',
  'openai-qwen-oauth': 'json_object',
  'claude-custom': 'instruction',
  'gemini-cli-oauth': 'json_object',
  'claude-kiro-oauth': 'instruction',
}

const THOUGHT = 'Erst nachdenken 🤔 — dann antworten.'

export function optionTests(ctx: MatrixContext, dialect: Dialect, spec: MatrixSpec): void {
  const provider = spec.provider as Exclude<ProviderId, 'local-echo'>
  const ask = (extra: Partial<Ask>): Ask => ({ model: ctx.upstream.model, turns: [{ role: 'user', text: TEXT }], ...extra })

  test('a forced tool choice names the tool natively (Kiro has no tool choice)', async () => {
    const { body } = await receivedDuring(ctx, () => chat(dialect, ctx.gw, ask({ tools: [WEATHER_TOOL, TIME_TOOL], forceTool: TIME_TOOL.name }), false))
    expect(ctx.upstream.toolChoice(body)).toBe(provider === 'claude-kiro-oauth' ? undefined : `tool:${TIME_TOOL.name}`)
    expect(ctx.upstream.tools(body).map((tool) => tool.name)).toEqual([WEATHER_TOOL.name, TIME_TOOL.name])
  })

  if (dialect !== 'gemini') {
    test('“one tool call at a time” reaches providers that have the switch (not Gemini, not Kiro)', async () => {
      const { body } = await receivedDuring(ctx, () =>
        chat(dialect, ctx.gw, ask({ tools: [WEATHER_TOOL, TIME_TOOL], forceTool: TIME_TOOL.name, serialTools: true }), false),
      )
      const hasSwitch = provider !== 'gemini-cli-oauth' && provider !== 'claude-kiro-oauth'
      expect(ctx.upstream.parallelToolCalls(body)).toBe(hasSwitch ? false : undefined)
    })
  }

  if (dialect !== 'anthropic') {
    test('JSON mode arrives as the provider’s JSON switch', async () => {
      const { body } = await receivedDuring(ctx, () => chat(dialect, ctx.gw, ask({ json: true }), false))
      expect(ctx.upstream.jsonMode(body)).toBe(JSON_MODE[provider])
    })
  }

  test('a reasoning request maps to the provider’s effort or budget', async () => {
    ctx.upstream.answerThinking(THOUGHT, 'Fertig ✓', false)
    const { body } = await receivedDuring(ctx, () => chat(dialect, ctx.gw, ask({ thinking: true, temperature: 0.5 }), false))
    expect(ctx.upstream.thinking(body)).toEqual(REASONING[dialect][provider])
    // Anthropic refuses a temperature with thinking, so conversion drops it (a passed-through body keeps it); Kiro has none.
    const dropped = (provider === 'claude-custom' && dialect !== 'anthropic') || provider === 'claude-kiro-oauth'
    expect(ctx.upstream.params(body).temperature).toBe(dropped ? undefined : 0.5)
  })

  for (const stream of [false, true]) {
    test(`reasoning in the answer reaches the client apart from the text (${mode(stream)})`, async () => {
      ctx.upstream.answerThinking(THOUGHT, 'Fertig ✓', stream)
      const answer = await chat(dialect, ctx.gw, ask({ thinking: true }), stream)
      expect(answer.thinking).toBe(THOUGHT)
      expect(answer.text).toBe('Fertig ✓')
    })
  }
}
