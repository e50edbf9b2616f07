// Client model ids and the Kiro `modelId` each one is sent as (docs/protocols.md#kiro-model-ids). An id
// not in the table is sent unchanged: Kiro then answers 400 for an unknown one, rather
// than the gateway silently answering with another model.
import type { ModelInfo } from '../types.ts'

const KIRO_MODEL_IDS: Readonly<Record<string, string>> = {
  'claude-sonnet-4-5': 'claude-sonnet-4.5',
  'claude-sonnet-4-5-20250929': 'claude-sonnet-4.5',
  'claude-sonnet-4-6': 'claude-sonnet-4.6',
  'claude-haiku-4-5': 'claude-haiku-4.5',
  'claude-haiku-4-5-20251001': 'claude-haiku-4.5',
  'claude-opus-4-5': 'claude-opus-4.5',
  'claude-opus-4-5-20251101': 'claude-opus-4.5',
  'claude-opus-4-6': 'claude-opus-4.6',
  'claude-opus-4-7': 'claude-opus-4.7',
  'claude-opus-4-8': 'claude-opus-4.8',
}

export const DEFAULT_PROBE_MODEL = 'claude-sonnet-4-5'

/** The Kiro `modelId` for a client model id. */
export function kiroModelId(model: string): string {
  return KIRO_MODEL_IDS[model] ?? model
}

/** Context window in tokens (Opus 4.5+ 1M, the others 200k), used to turn contextUsagePercentage into tokens. */
export function contextWindowOf(model: string): number {
  return kiroModelId(model).startsWith('claude-opus-4.') ? 1_000_000 : 200_000
}

/** The static list served by listModels (Kiro's own listing is not part of the IDE protocol). */
export const KIRO_MODELS: ModelInfo[] = Object.keys(KIRO_MODEL_IDS).map((id) => ({
  id,
  ownedBy: 'anthropic',
  inputTokenLimit: contextWindowOf(id),
}))
