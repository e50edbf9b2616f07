// Anthropic `stop_reason` ⇄ canonical finish reason.
import type { FinishReason } from '../../chat/types.ts'

export interface Finish {
  reason: FinishReason
  stopSequence?: string
}

const FINISH_BY_STOP_REASON: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  // The server paused a long turn; the answer so far is complete from the client's view.
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
}

/** Unknown or missing reasons count as a normal stop. */
export function decodeStopReason(stopReason: unknown, stopSequence: unknown): Finish {
  const reason = (typeof stopReason === 'string' ? FINISH_BY_STOP_REASON[stopReason] : undefined) ?? 'stop'
  if (stopReason === 'stop_sequence' && typeof stopSequence === 'string') return { reason, stopSequence }
  return { reason }
}

/**
 * `sawToolUse`: some upstreams (Gemini) finish tool-calling turns with a plain stop;
 * Anthropic clients only run tools on `tool_use`, so a turn with tool calls says so.
 */
export function encodeStopReason(finish: Finish, sawToolUse: boolean): string {
  switch (finish.reason) {
    case 'stop':
      if (sawToolUse) return 'tool_use'
      return finish.stopSequence === undefined ? 'end_turn' : 'stop_sequence'
    case 'length':
      return 'max_tokens'
    case 'tool_calls':
      return 'tool_use'
    case 'content_filter':
      return 'refusal'
  }
}
