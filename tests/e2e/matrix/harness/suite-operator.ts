// Operator settings that rewrite traffic in every dialect: SYSTEM_PROMPT_FILE_PATH
// (overwrite or append) and PROMPT_LOG_MODE=console.
import { expect, test } from 'bun:test'
import type { Dialect } from '../../../../src/dialects/types.ts'
import { TEXT, type Ask } from './ask.ts'
import { chat } from './clients.ts'
import { FILE_PROMPT, type MatrixContext } from './context.ts'
import { receivedDuring, SYSTEM } from './suite-conversation.ts'

export function operatorTests(ctx: MatrixContext, dialect: Dialect): void {
  const ask = (): Ask => ({ model: ctx.upstream.model, system: SYSTEM, turns: [{ role: 'user', text: TEXT }] })

  test('SYSTEM_PROMPT_FILE_PATH in overwrite mode replaces the client’s system prompt', async () => {
    const gw = await ctx.variant('system-overwrite')
    const { body } = await receivedDuring(ctx, () => chat(dialect, gw, ask(), false))
    expect(ctx.upstream.system(body)).toEqual([FILE_PROMPT])
    expect(ctx.upstream.turns(body)).toEqual([{ role: 'user', text: TEXT }])
  })

  test('SYSTEM_PROMPT_FILE_PATH in append mode follows the client’s system prompt', async () => {
    const gw = await ctx.variant('system-append')
    const { body } = await receivedDuring(ctx, () => chat(dialect, gw, ask(), true))
    // Kiro carries the system text as one prefix, so segments are compared joined.
    expect(ctx.upstream.system(body).join('\n')).toBe(`${SYSTEM}\n${FILE_PROMPT}`)
  })

  test('PROMPT_LOG_MODE=console logs the prompt and the answer, never a key or token', async () => {
    const gw = await ctx.variant('prompt-log')
    const whole = await chat(dialect, gw, ask(), false)
    const streamed = await chat(dialect, gw, ask(), true)
    const lines = gw.logs.filter((line) => line.includes('[prompt]'))
    expect(lines.length).toBeGreaterThanOrEqual(2)
    for (const [index, answer] of [whole, streamed].entries()) {
      const line = lines.at(index - 2) ?? ''
      expect(line).toContain(`provider=${ctx.upstream.provider}`)
      expect(line).toContain(`prompt=${JSON.stringify(TEXT)}`)
      expect(line).toContain(`answer=${JSON.stringify(answer.text)}`)
    }
    const everything = gw.logs.join('\n')
    for (const secret of [gw.key, ...ctx.upstream.secrets()]) expect(everything).not.toContain(secret)
  })
}
