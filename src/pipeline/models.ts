// Model listing and token counting: answered by the selected provider's member, in the
// client's dialect (token counts fall back to a documented estimate). Without an explicit
// selection, the list is everything reachable through the base URL (see model-union.ts).
import { estimateRequestTokens } from '../chat/estimate-tokens.ts'
import { withoutModelsPrefix } from '../dialects/gemini/models.ts'
import type { Dialect } from '../dialects/types.ts'
import type { ModelInfo, ProviderId } from '../providers/types.ts'
import type { Selection } from '../routing/select.ts'
import { reachableModels } from './model-union.ts'
import { FailedAttempts, withFailover } from './failover.ts'
import { answerHeaders, errorAnswer, selectionHeaders } from './headers.ts'
import type { Runtime } from './runtime.ts'
import { notFound, toGatewayError } from '../errors/gateway-error.ts'
import { quoteInput } from '../errors/echo.ts'

export async function handleModels(runtime: Runtime, dialect: Dialect, selection: Selection, signal: AbortSignal): Promise<Response> {
  const { provider } = selection
  return answerJson(runtime, dialect, provider, async () => {
    const listed = await listModels(runtime, provider, signal)
    const models = selection.explicit ? listed.models : [...listed.models, ...(await reachableModels(runtime, signal))]
    return { body: runtime.codecs[dialect].encodeModelList(unique(models)), instance: listed.instance, attempts: listed.attempts }
  })
}

/**
 * One model (`models.retrieve` in the SDKs), looked up in the list of the provider it
 * selects: `gemini-cli-oauth/gemini-2.5-pro` and aliases answer under the id asked for.
 * 404 when that list lacks the model.
 */
export async function handleModel(runtime: Runtime, dialect: Dialect, selection: Selection, id: string, signal: AbortSignal): Promise<Response> {
  const { provider } = selection
  return answerJson(runtime, dialect, provider, async () => {
    const { models, instance, attempts } = await listModels(runtime, provider, signal)
    const asked = withoutModelsPrefix(id)
    const wanted = withoutModelsPrefix(selection.model)
    const model = models.find((candidate) => withoutModelsPrefix(candidate.id) === wanted)
    if (!model) throw notFound(`model ${quoteInput(asked)} not found: ${provider} does not list it (GET /v1/models lists what it has)`)
    return { body: runtime.codecs[dialect].encodeModel(wanted === asked ? model : { ...model, id: asked }), instance, attempts }
  })
}

async function listModels(runtime: Runtime, provider: ProviderId, signal: AbortSignal) {
  const { value: models, lease, attempts } = await withFailover(runtime, { provider, signal }, (lease) => lease.member.client.listModels(signal))
  lease.end()
  return { models, instance: lease.member.uuid, attempts }
}

/** The first entry of each id: a provider's own model wins over an alias of the same name. */
function unique(models: ModelInfo[]): ModelInfo[] {
  const seen = new Set<string>()
  return models.filter((model) => {
    const id = withoutModelsPrefix(model.id)
    if (seen.has(id)) return false
    seen.add(id)
    return true
  })
}

export interface CountInput {
  dialect: Dialect
  provider: ProviderId
  body: Record<string, unknown>
  model: string
  signal: AbortSignal
}

/** Input tokens of a request, in the shape of the dialect's count-tokens route. */
export async function handleCountTokens(runtime: Runtime, input: CountInput): Promise<Response> {
  return answerJson(runtime, input.dialect, input.provider, async () => {
    const codec = runtime.codecs[input.dialect]
    if (!codec.encodeTokenCount) throw notFound(`the ${input.dialect} dialect has no token count route`)
    const request = codec.decodeRequest(input.body, { model: input.model, stream: false })
    const {
      value: counted,
      lease,
      attempts,
    } = await withFailover(runtime, { provider: input.provider, signal: input.signal }, (lease) =>
      lease.member.client.countTokens ? lease.member.client.countTokens(request, input.signal) : Promise.resolve(undefined),
    )
    lease.end()
    return { body: codec.encodeTokenCount(counted ?? estimateRequestTokens(request)), instance: lease.member.uuid, attempts }
  })
}

async function answerJson(
  runtime: Runtime,
  dialect: Dialect,
  provider: ProviderId,
  work: () => Promise<{ body: unknown; instance: string; attempts: number }>,
): Promise<Response> {
  try {
    const { body, instance, attempts } = await work()
    return new Response(JSON.stringify(body), { headers: answerHeaders('application/json', selectionHeaders(provider, instance, attempts)) })
  } catch (thrown) {
    if (thrown instanceof FailedAttempts)
      return errorAnswer(runtime.codecs[dialect], thrown.error, selectionHeaders(provider, thrown.instance, thrown.attempts))
    return errorAnswer(runtime.codecs[dialect], toGatewayError(thrown), selectionHeaders(provider))
  }
}
