// The model objects an Anthropic client expects from `GET /v1/models` and `GET /v1/models/{id}`.
import type { ModelInfo } from '../../providers/types.ts'

export interface AnthropicModel {
  type: 'model'
  id: string
  display_name: string
  created_at: string
}

export interface AnthropicModelList {
  data: AnthropicModel[]
  has_more: false
  first_id: string | null
  last_id: string | null
}

/** `createdAt` is Unix seconds (as OpenAI's `created`); unknown dates become the epoch. */
function rfc3339(seconds: number | undefined): string {
  return new Date((seconds ?? 0) * 1000).toISOString().replace(/\.000Z$/, 'Z')
}

export function encodeAnthropicModel(model: ModelInfo): AnthropicModel {
  return { type: 'model', id: model.id, display_name: model.displayName ?? model.id, created_at: rfc3339(model.createdAt) }
}

export function encodeAnthropicModelList(models: ModelInfo[]): AnthropicModelList {
  const data = models.map(encodeAnthropicModel)
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }
}
