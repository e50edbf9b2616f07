// Responses `usage` ⇄ canonical Usage. `input_tokens` includes cached tokens and
// `output_tokens` includes reasoning tokens, as the canonical fields do.
import type { Usage } from '../../chat/types.ts'
import { isRecord } from '../../json/read.ts'

export function encodeResponsesUsage(usage: Usage): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  }
}

export function decodeResponsesUsage(value: unknown): Usage {
  if (!isRecord(value)) return { inputTokens: 0, outputTokens: 0 }
  const usage: Usage = { inputTokens: count(value.input_tokens), outputTokens: count(value.output_tokens) }
  const cached = isRecord(value.input_tokens_details) ? value.input_tokens_details.cached_tokens : undefined
  const reasoning = isRecord(value.output_tokens_details) ? value.output_tokens_details.reasoning_tokens : undefined
  if (typeof cached === 'number' && cached > 0) usage.cachedInputTokens = cached
  if (typeof reasoning === 'number' && reasoning > 0) usage.reasoningTokens = reasoning
  return usage
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0
}
