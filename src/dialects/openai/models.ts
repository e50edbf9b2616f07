// The model list an OpenAI client expects from `GET /v1/models`.
import type { ModelInfo } from '../../providers/types.ts'
import { unixSeconds, type OpenAICodecOptions } from './codec-options.ts'

export function encodeOpenAIModelList(models: ModelInfo[], options: OpenAICodecOptions): Record<string, unknown> {
  const now = unixSeconds(options)
  return {
    object: 'list',
    data: models.map((model) => ({
      id: model.id,
      object: 'model',
      // `createdAt` is unix seconds; models without one report the listing time.
      created: model.createdAt ?? now,
      owned_by: model.ownedBy ?? 'switchboard',
    })),
  }
}
