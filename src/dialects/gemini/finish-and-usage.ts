// Finish reasons and token counts, both directions, shared by the response and stream codecs.
import type { FinishReason, Usage } from '../../chat/types.ts'
import type { GeminiFinishReason, GeminiUsageMetadata } from './wire.ts'
import { isRecord } from '../../json/read.ts'

const CONTENT_FILTER_REASONS = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY'])

/** Gemini says STOP for function calls too; the caller knows whether the answer had one. */
export function finishReasonFromGemini(reason: string, sawToolCall: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length'
  if (CONTENT_FILTER_REASONS.has(reason)) return 'content_filter'
  return sawToolCall ? 'tool_calls' : 'stop'
}

export function finishReasonToGemini(reason: FinishReason): GeminiFinishReason {
  if (reason === 'length') return 'MAX_TOKENS'
  if (reason === 'content_filter') return 'SAFETY'
  return 'STOP'
}

/**
 * `promptTokenCount` includes cached tokens (as OpenAI's `prompt_tokens` does); thoughts are
 * output tokens Gemini counts apart, so they are added to the output and also reported as
 * reasoning tokens.
 */
export function usageFromGemini(metadata: unknown): Usage {
  const record = isRecord(metadata) ? metadata : {}
  const count = (key: string): number | undefined => {
    const value = record[key]
    return typeof value === 'number' && Number.isFinite(value) ? value : undefined
  }
  const thoughts = count('thoughtsTokenCount')
  const cached = count('cachedContentTokenCount')
  const usage: Usage = {
    inputTokens: count('promptTokenCount') ?? 0,
    outputTokens: (count('candidatesTokenCount') ?? 0) + (thoughts ?? 0),
  }
  if (cached !== undefined) usage.cachedInputTokens = cached
  if (thoughts !== undefined) usage.reasoningTokens = thoughts
  return usage
}

export function usageToGemini(usage: Usage): GeminiUsageMetadata {
  const thoughts = usage.reasoningTokens ?? 0
  const metadata: GeminiUsageMetadata = {
    promptTokenCount: usage.inputTokens,
    candidatesTokenCount: Math.max(0, usage.outputTokens - thoughts),
    totalTokenCount: usage.inputTokens + usage.outputTokens,
  }
  if (usage.reasoningTokens !== undefined) metadata.thoughtsTokenCount = usage.reasoningTokens
  if (usage.cachedInputTokens !== undefined) metadata.cachedContentTokenCount = usage.cachedInputTokens
  return metadata
}
