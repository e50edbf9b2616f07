// OpenAI `usage` ⇄ canonical Usage. `prompt_tokens` includes cached tokens and
// `completion_tokens` includes reasoning tokens; the canonical fields keep that meaning.
import type { Usage } from '../../chat/types.ts'
import { isRecord } from '../../json/read.ts'

export function decodeUsage(value: unknown): Usage | undefined {
  if (!isRecord(value)) return undefined
  const usage: Usage = { inputTokens: count(value.prompt_tokens), outputTokens: count(value.completion_tokens) }
  const cached = isRecord(value.prompt_tokens_details) ? value.prompt_tokens_details.cached_tokens : undefined
  const reasoning = isRecord(value.completion_tokens_details) ? value.completion_tokens_details.reasoning_tokens : undefined
  if (typeof cached === 'number') usage.cachedInputTokens = cached
  if (typeof reasoning === 'number') usage.reasoningTokens = reasoning
  return usage
}

export function encodeUsage(usage: Usage): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  }
  if (usage.cachedInputTokens !== undefined) wire.prompt_tokens_details = { cached_tokens: usage.cachedInputTokens }
  if (usage.reasoningTokens !== undefined) wire.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens }
  return wire
}

/** What a finish reports when the upstream sent no usage at all. */
export function zeroUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0 }
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0
}
