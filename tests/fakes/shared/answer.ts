// A provider-neutral description of a successful answer, with its stream pieces and token
// counts already worked out, so both wire formats render the same content and the same usage.
import type { AnswerScenario } from './scenario.ts'
import { estimateTokens, fillerText, fragmentJson, splitText } from './text-pieces.ts'

export type FinishKind = 'stop' | 'length' | 'tool_calls'

export interface AnswerToolCall {
  id: string
  name: string
  /** The arguments as JSON text. */
  arguments: string
  /** `arguments` cut into stream fragments. */
  fragments: string[]
}

export interface Answer {
  text: string
  textPieces: string[]
  thinking: string | undefined
  thinkingPieces: string[]
  toolCalls: AnswerToolCall[]
  finish: FinishKind
  inputTokens: number
  /** Every output token, reasoning included. */
  outputTokens: number
  reasoningTokens: number
}

export interface AnswerInput {
  /** The last user text of the request; the default answer is `echo: <it>`. */
  lastUserText: string
  inputTokens: number
  toolCallId: (index: number) => string
  random: () => number
  /** A stream fault needs at least this many text pieces to land inside the text. */
  minTextPieces?: number
}

/** Works out the answer a scenario asks for. */
export function buildAnswer(scenario: AnswerScenario, input: AnswerInput): Answer {
  const echo = `echo: ${input.lastUserText}`
  let text: string
  let thinking: string | undefined
  let finish: FinishKind = 'stop'
  let toolCalls: AnswerToolCall[] = []
  switch (scenario.kind) {
    case 'text':
      text = scenario.text ?? echo
      break
    case 'length':
      text = scenario.text ?? echo
      finish = 'length'
      break
    case 'huge':
      text = fillerText(scenario.bytes)
      break
    case 'thinking':
      text = scenario.text
      thinking = scenario.thinking
      break
    case 'tool_calls':
      text = scenario.text ?? ''
      finish = 'tool_calls'
      toolCalls = scenario.calls.map((call, index) => {
        const args = JSON.stringify(call.arguments)
        return { id: input.toolCallId(index), name: call.name, arguments: args, fragments: fragmentJson(args, input.random) }
      })
      break
  }
  const reasoningTokens = thinking === undefined ? 0 : estimateTokens(thinking.length)
  const toolTokens = toolCalls.reduce((sum, call) => sum + estimateTokens(call.name.length + call.arguments.length), 0)
  return {
    text,
    textPieces: splitText(text, input.minTextPieces),
    thinking,
    thinkingPieces: thinking === undefined ? [] : splitText(thinking),
    toolCalls,
    finish,
    inputTokens: input.inputTokens,
    outputTokens: Math.max(1, estimateTokens(text.length) + reasoningTokens + toolTokens),
    reasoningTokens,
  }
}
