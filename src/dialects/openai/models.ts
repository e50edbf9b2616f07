// The model objects an OpenAI client expects from `GET /v1/models` and `GET /v1/models/{id}`.
import type { ModelInfo } from '../../providers/types.ts'
import { unixSeconds, type OpenAICodecOptions } from './codec-options.ts'

export function encodeOpenAIModel(model: ModelInfo, options: OpenAICodecOptions): Record<string, unknown> {
  return {
    id: model.id,
    object: 'model',
    // `createdAt` is unix seconds; models without one report the listing time.
    created: model.createdAt ?? unixSeconds(options),
    owned_by: model.ownedBy ?? 'switchboard',
  }
}

export function encodeOpenAIModelList(models: ModelInfo[], options: OpenAICodecOptions): Record<string, unknown> {
  return { object: 'list', data: models.map((model) => encodeOpenAIModel(model, options)) }
}
