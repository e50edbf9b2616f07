// Anthropic usage ⇄ canonical usage. Anthropic's `input_tokens` excludes cached prompt
// tokens (cache reads and cache writes are counted apart); canonical `inputTokens` is the
// whole prompt, with `cachedInputTokens` the part read from cache (OpenAI/Gemini meaning).
import type { Usage } from '../../chat/types.ts'
import { isRecord } from '../../json/read.ts'

/** The counters an Anthropic `usage` object carried; absent ones stay undefined. */
export interface UsageCounters {
  input?: number
  output?: number
  cacheCreation?: number
  cacheRead?: number
}

export interface AnthropicUsage {
  input_tokens: number
  cache_creation_input_tokens: number
  cache_read_input_tokens: number
  output_tokens: number
}

const count = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined)

export function readUsageCounters(value: unknown): UsageCounters {
  if (!isRecord(value)) return {}
  const counters: UsageCounters = {}
  const input = count(value.input_tokens)
  const output = count(value.output_tokens)
  const cacheCreation = count(value.cache_creation_input_tokens)
  const cacheRead = count(value.cache_read_input_tokens)
  if (input !== undefined) counters.input = input
  if (output !== undefined) counters.output = output
  if (cacheCreation !== undefined) counters.cacheCreation = cacheCreation
  if (cacheRead !== undefined) counters.cacheRead = cacheRead
  return counters
}

/** Later counters (message_delta totals) replace earlier ones; absent ones keep the old value. */
export function mergeUsageCounters(base: UsageCounters, update: UsageCounters): UsageCounters {
  return { ...base, ...update }
}

export function canonicalUsage(counters: UsageCounters): Usage {
  const usage: Usage = {
    inputTokens: (counters.input ?? 0) + (counters.cacheCreation ?? 0) + (counters.cacheRead ?? 0),
    outputTokens: counters.output ?? 0,
  }
  if (counters.cacheRead) usage.cachedInputTokens = counters.cacheRead
  return usage
}

/** Canonical usage as Anthropic reports it; cache writes cannot be told apart, so they count as input. */
export function anthropicUsage(usage: Partial<Usage>, outputWhenUnknown = 0): AnthropicUsage {
  const cached = usage.cachedInputTokens ?? 0
  return {
    input_tokens: Math.max(0, (usage.inputTokens ?? 0) - cached),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
    output_tokens: usage.outputTokens ?? outputWhenUnknown,
  }
}
