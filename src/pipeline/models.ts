// Model listing and token counting: answered by the selected provider's member, in the
// client's dialect (token counts fall back to a documented estimate).
import { estimateRequestTokens } from '../chat/estimate-tokens.ts'
import type { Dialect } from '../dialects/types.ts'
import type { ProviderId } from '../providers/types.ts'
import { FailedAttempts, withFailover } from './failover.ts'
import { answerHeaders, errorAnswer, selectionHeaders } from './headers.ts'
import type { Runtime } from './runtime.ts'
import { notFound, toGatewayError } from '../errors/gateway-error.ts'
import { quoteInput } from '../errors/echo.ts'

export async function handleModels(runtime: Runtime, dialect: Dialect, provider: ProviderId, signal: AbortSignal): Promise<Response> {
  return answerJson(runtime, dialect, provider, async () => {
    const { value: models, lease, attempts } = await withFailover(runtime, { provider, signal }, (lease) => lease.member.client.listModels(signal))
    lease.end()
    return { body: runtime.codecs[dialect].encodeModelList(models), instance: lease.member.uuid, attempts }
  })
}

/** One model of the selected provider's list (`models.retrieve` in the SDKs); 404 when the list lacks it. */
export async function handleModel(runtime: Runtime, dialect: Dialect, provider: ProviderId, id: string, signal: AbortSignal): Promise<Response> {
  return answerJson(runtime, dialect, provider, async () => {
    const { value: models, lease, attempts } = await withFailover(runtime, { provider, signal }, (lease) => lease.member.client.listModels(signal))
    lease.end()
    const wanted = withoutModelsPrefix(id)
    const model = models.find((candidate) => withoutModelsPrefix(candidate.id) === wanted)
    if (!model) throw notFound(`model ${quoteInput(wanted)} not found: ${provider} does not list it (GET /v1/models lists what it has)`)
    return { body: runtime.codecs[dialect].encodeModel(model), instance: lease.member.uuid, attempts }
  })
}

/** Some dialects name models `models/{id}`, others use the bare id. */
const withoutModelsPrefix = (id: string) => (id.startsWith('models/') ? id.slice('models/'.length) : id)

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
