// The model objects a Gemini client expects from GET /v1beta/models and /v1beta/models/{model}.
import type { ModelInfo } from '../../providers/types.ts'

const METHODS = ['generateContent', 'streamGenerateContent', 'countTokens']

/** Gemini names models `models/{id}`; the other dialects use the bare id. */
export const withoutModelsPrefix = (id: string) => (id.startsWith('models/') ? id.slice('models/'.length) : id)

export function encodeModel(model: ModelInfo): Record<string, unknown> {
  const id = withoutModelsPrefix(model.id)
  const entry: Record<string, unknown> = { name: `models/${id}`, version: '001', displayName: model.displayName ?? id }
  if (model.inputTokenLimit !== undefined) entry.inputTokenLimit = model.inputTokenLimit
  if (model.outputTokenLimit !== undefined) entry.outputTokenLimit = model.outputTokenLimit
  entry.supportedGenerationMethods = METHODS
  return entry
}

export function encodeModelList(models: ModelInfo[]): { models: Record<string, unknown>[] } {
  return { models: models.map(encodeModel) }
}
