// The Responses object and its output items, as both the whole answer and the stream's
// lifecycle events carry them. One builder per item kind, so both paths agree byte for byte.
import type { FinishReason, Usage } from '../../chat/types.ts'
import { encodeResponsesUsage } from './usage.ts'

export type OutputItem = Record<string, unknown>

export const outputText = (text: string) => ({ type: 'output_text', text, annotations: [], logprobs: [] })
export const summaryText = (text: string) => ({ type: 'summary_text', text })

export function messageItem(id: string, text: string | undefined, status: 'in_progress' | 'completed' | 'incomplete'): OutputItem {
  return { id, type: 'message', status, role: 'assistant', content: text === undefined ? [] : [outputText(text)] }
}

export function reasoningItem(id: string, text: string | undefined): OutputItem {
  return { id, type: 'reasoning', summary: text === undefined ? [] : [summaryText(text)] }
}

export function functionCallItem(id: string, callId: string, name: string, args: string, status: 'in_progress' | 'completed'): OutputItem {
  return { id, type: 'function_call', status, call_id: callId, name, arguments: args }
}

export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete'

export interface ResponseHead {
  id: string
  createdAt: number
  model: string
}

/** Why an answer is `incomplete`, from the canonical finish reason; undefined when it completed. */
export function incompleteReason(reason: FinishReason): string | undefined {
  if (reason === 'length') return 'max_output_tokens'
  if (reason === 'content_filter') return 'content_filter'
  return undefined
}

/** The `response` object with the request echo fields at their defaults (the codec sees only the answer). */
export function responseObject(
  head: ResponseHead,
  status: ResponseStatus,
  output: OutputItem[],
  extra: { usage?: Usage; incomplete?: string } = {},
): Record<string, unknown> {
  return {
    id: head.id,
    object: 'response',
    created_at: head.createdAt,
    status,
    error: null,
    incomplete_details: extra.incomplete ? { reason: extra.incomplete } : null,
    instructions: null,
    max_output_tokens: null,
    model: head.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: true,
    temperature: null,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: null,
    truncation: 'disabled',
    usage: extra.usage ? encodeResponsesUsage(extra.usage) : null,
    metadata: {},
  }
}
