// What a model picker should show when the client chose no provider: every exact
// MODEL_ROUTES name, and `<provider-id>/<model>` for each model of every configured
// provider. A provider whose list cannot be read, or whose members are all at their
// maxConcurrent limit, is left out (and logged): a picker never waits on one provider.
import { withoutModelsPrefix } from '../dialects/gemini/models.ts'
import { PROVIDER_IDS, type ModelInfo, type ProviderId } from '../providers/types.ts'
import { isGlob } from '../routing/model-routes.ts'
import { withFailover } from './failover.ts'
import type { Runtime } from './runtime.ts'

export async function reachableModels(runtime: Runtime, signal: AbortSignal): Promise<ModelInfo[]> {
  const aliases = runtime.routes.filter((route) => !isGlob(route.pattern)).map((route): ModelInfo => ({ id: route.pattern, ownedBy: route.target.provider }))
  const configured = PROVIDER_IDS.filter((provider) => runtime.pools.isConfigured(provider))
  const lists = await Promise.all(configured.map((provider) => prefixedModels(runtime, provider, signal)))
  return [...aliases, ...lists.flat()]
}

async function prefixedModels(runtime: Runtime, provider: ProviderId, signal: AbortSignal): Promise<ModelInfo[]> {
  try {
    const { value: models, lease } = await withFailover(runtime, { provider, signal, waitForSlot: false }, (lease) => lease.member.client.listModels(signal))
    lease.end()
    return models.map((model) => {
      return {
        ...model,
        id: `${provider}/${withoutModelsPrefix(model.id)}`,
        ownedBy: model.ownedBy ?? provider,
        ...(model.displayName ? { displayName: `${model.displayName} (${provider})` } : {}),
      }
    })
  } catch (error) {
    runtime.log.warn(`model list: ${provider} left out: ${(error as Error).message}`)
    return []
  }
}
