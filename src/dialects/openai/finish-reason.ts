// OpenAI finish_reason → canonical FinishReason. The canonical names are OpenAI's own, so
// encoding needs no table.
import type { FinishReason } from '../../chat/types.ts'

/**
 * Unknown or missing reasons (compatible servers invent their own, e.g. `eos`) read as
 * `stop`; some servers say `stop` after tool calls, so calls seen win.
 */
export function decodeFinishReason(value: unknown, sawToolCalls: boolean): FinishReason {
  switch (value) {
    case 'length':
      return 'length'
    case 'content_filter':
      return 'content_filter'
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls'
    default:
      return sawToolCalls ? 'tool_calls' : 'stop'
  }
}
