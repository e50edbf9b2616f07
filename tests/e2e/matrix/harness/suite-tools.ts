// Tool calling across the conversion: definitions in the provider's shape, parallel calls
// back to the SDK with parsed arguments and the dialect's finish reason, then the results
// turn with ids and names that still match.
import { expect, test } from 'bun:test'
import type { Dialect } from '../../../../src/dialects/types.ts'
import { SCRIPTED_CALLS, TEXT, TIME_TOOL, TOOL_RESULTS, WEATHER_TOOL, type Ask, type ToolSpec } from './ask.ts'
import { chat, FINISH } from './clients.ts'
import type { MatrixContext } from './context.ts'
import type { MatrixSpec } from './define.ts'
import { mode, receivedDuring } from './suite-conversation.ts'
import type { ReceivedTool } from './upstream.ts'

const TOOLS = [WEATHER_TOOL, TIME_TOOL]

/** A tool as the provider received it: same name and description, same argument names. */
function expectTool(received: ReceivedTool | undefined, sent: ToolSpec): void {
  expect(received?.name).toBe(sent.name)
  expect(received?.description).toBe(sent.description)
  const properties = (schema: Record<string, unknown>) => Object.keys((schema.properties ?? {}) as object).sort()
  expect(properties(received?.parameters ?? {})).toEqual(properties(sent.parameters))
  expect(received?.parameters.required).toEqual(sent.parameters.required)
  expect(String(received?.parameters.type).toLowerCase()).toBe('object')
}

export function toolTests(ctx: MatrixContext, dialect: Dialect, spec: MatrixSpec): void {
  for (const stream of [false, true]) {
    test(`tool definitions, parallel calls and their results round-trip (${mode(stream)})`, async () => {
      const { upstream, gw } = ctx
      const ask: Ask = { model: upstream.model, turns: [{ role: 'user', text: `Wetter und Uhrzeit? ${TEXT}` }], tools: TOOLS }

      upstream.answerToolCalls(SCRIPTED_CALLS, stream)
      const { result: first, body: asked } = await receivedDuring(ctx, () => chat(dialect, gw, ask, stream))
      const tools = upstream.tools(asked)
      expect(tools.length).toBe(TOOLS.length)
      for (const [index, tool] of TOOLS.entries()) expectTool(tools[index], tool)
      expect(first.finish).toBe(FINISH[dialect].tool_calls)
      expect(first.calls.map(({ name, args }) => ({ name, args }))).toEqual(SCRIPTED_CALLS)
      const ids = first.calls.map((call) => call.id)
      if (dialect === 'gemini' && spec.dialect === 'gemini') {
        // Passed through untouched: Gemini's calls carry no ids, responses match them by name.
        expect(ids).toEqual(SCRIPTED_CALLS.map(() => ''))
      } else {
        expect(ids.every((id) => id !== '')).toBe(true)
        expect(new Set(ids).size).toBe(ids.length)
      }

      const results = first.calls.map((call) => ({ call, result: TOOL_RESULTS[call.name] as Record<string, unknown> }))
      const { result: second, body: answered } = await receivedDuring(ctx, () =>
        chat(dialect, gw, { ...ask, continuation: { assistant: first.assistant, results } }, stream),
      )
      expect(upstream.toolCalls(answered)).toEqual(first.calls)
      const received = upstream.toolResults(answered)
      expect(received.map((item) => item.id ?? '')).toEqual(ids)
      for (const [index, item] of received.entries()) {
        if (item.name !== undefined) expect(item.name).toBe(first.calls[index]?.name as string)
        expect(item.result).toEqual(results[index]?.result)
      }
      expect(second.finish).toBe(FINISH[dialect].stop)
      expect(second.calls).toEqual([])
    })
  }
}
