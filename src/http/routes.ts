// The client-facing routes of the four dialects, each also reachable under a provider
// path segment (`/{provider}/v1/...`), one route group per dialect that declares it (so
// errors before the handler render in it). Handlers only turn HTTP into plain inputs for
// the pipeline; everything else happens there.
import type { Server } from 'bun'
import { Elysia, t } from 'elysia'
import { AnthropicCountTokensRequest, AnthropicMessagesRequest } from '../dialects/anthropic/schema.ts'
import { withoutModelsPrefix } from '../dialects/gemini/models.ts'
import { GeminiGenerateContentRequest } from '../dialects/gemini/schema.ts'
import { OpenAIChatRequest } from '../dialects/openai/schema.ts'
import { forbidden, notFound } from '../errors/gateway-error.ts'
import { handleChat } from '../pipeline/chat.ts'
import { handleCountTokens, handleModel, handleModels } from '../pipeline/models.ts'
import type { Runtime } from '../pipeline/runtime.ts'
import { isProviderId, PROVIDER_IDS, type ProviderId } from '../providers/types.ts'
import type { Dialect } from '../dialects/types.ts'
import { type Selection, selectProvider } from '../routing/select.ts'
import { readJsonBody } from './body.ts'
import { responsesRoutes } from './responses-routes.ts'
import { type DialectOf, RouteDialects } from './route-dialects.ts'
import { clipInput, quoteInput } from '../errors/echo.ts'
import { pathOfUrl } from './request-target.ts'

const ProviderParam = t.String({ description: `provider id: ${PROVIDER_IDS.join(', ')}`, examples: ['local-echo'] })
const GeminiModelParam = t.String({
  description: 'model and method: {model}:generateContent, :streamGenerateContent or :countTokens',
  examples: ['gemini-2.5-flash:generateContent'],
})

type Body = Record<string, unknown>
export type ChatContext = { body: Body; params?: { provider?: string }; request: Request; server: Server<unknown> | null }

export function chatRoutes(runtime: Runtime) {
  const maxBytes = runtime.config.MAX_REQUEST_BODY_BYTES
  // The exact request text, for byte-for-byte passthrough; keyed by request, dropped with it.
  const rawBodies = new WeakMap<Request, string>()
  const parse = async ({ request }: { request: Request }) => {
    const body = await readJsonBody(request, maxBytes)
    rawBodies.set(request, body.raw)
    return body.value
  }

  const select = (pathProvider: string | undefined, request: Request, model?: string): Selection => {
    if (pathProvider !== undefined && !isProviderId(pathProvider))
      throw notFound(`Not Found: ${quoteInput(pathProvider)} is not a provider id (${PROVIDER_IDS.join(', ')})`)
    const selection = selectProvider(runtime, pathProvider, request.headers, model)
    // A client key's provider list is checked after selection: path, header, prefix and model routes all count.
    const key = runtime.observer.of(request).clientKey
    if (key?.providers && !key.providers.includes(selection.provider))
      throw forbidden(`Forbidden: key ${key.name} may not use ${selection.provider} (allowed: ${key.providers.join(', ')})`, { scope: 'request' })
    return selection
  }

  /**
   * Answers get the request id and Server-Timing, and monitoring records them (streams when they end).
   * A streamed answer lifts the server's idle timeout for its connection: a reasoning model can
   * be quiet for minutes, and only STREAM_IDLE_TIMEOUT_MS may end such a stream.
   */
  const stamped = (request: Request, answer: Promise<Response>, server: Server<unknown> | null) =>
    answer.then((response) => {
      const exchange = runtime.observer.of(request)
      if (exchange.stream && response.ok) server?.timeout(request, 0)
      return runtime.observer.answer(exchange, response)
    })
  /** Model lists and token counts count as API traffic too (chat tags its exchange itself). */
  const tagged = (request: Request, dialect: Dialect, provider: ProviderId, answer: () => Promise<Response>) => {
    const exchange = runtime.observer.of(request)
    exchange.dialect = dialect
    exchange.provider = provider
    return stamped(request, answer(), null)
  }

  // OpenAI, Anthropic and Responses carry model and stream flag in the body; Gemini in the URL.
  const chatOf = (dialect: 'openai' | 'anthropic' | 'responses', { body, params, request, server }: ChatContext, raw: string | undefined) => {
    const { provider, model } = select(params?.provider, request, String(body.model))
    return stamped(
      request,
      handleChat(runtime, {
        dialect,
        provider,
        body,
        raw: raw ?? JSON.stringify(body),
        query: forwardedQuery(request.url),
        model,
        stream: body.stream === true,
        sse: true,
        headers: request.headers,
        signal: request.signal,
        exchange: runtime.observer.of(request),
      }),
      server,
    )
  }
  // Elysia reads a handler's parameter list to know what to provide: `server` is named here.
  const bodyChat =
    (dialect: 'openai' | 'anthropic') =>
    ({ body, params, request, server }: ChatContext) =>
      chatOf(dialect, { body, params, request, server }, rawBodies.get(request))
  const openaiChat = bodyChat('openai')
  const anthropicMessages = bodyChat('anthropic')

  const anthropicCount = ({ body, params, request }: { body: Body; params?: { provider?: string }; request: Request }) => {
    const { provider, model } = select(params?.provider, request, String(body.model))
    return tagged(request, 'anthropic', provider, () => handleCountTokens(runtime, { dialect: 'anthropic', provider, body, model, signal: request.signal }))
  }

  const geminiChat = ({
    body,
    params,
    query,
    request,
    server,
  }: {
    body: Body
    params: { provider?: string; model: string; tail?: string }
    query: Record<string, string | undefined>
    request: Request
    server: Server<unknown> | null
  }) => {
    const { model: asked, method } = splitGeminiModel(joinTail(params.model, params.tail))
    const { provider, model } = select(params.provider, request, asked)
    if (method === 'countTokens')
      return tagged(request, 'gemini', provider, () => handleCountTokens(runtime, { dialect: 'gemini', provider, body, model, signal: request.signal }))
    const stream = method === 'streamGenerateContent'
    return stamped(
      request,
      handleChat(runtime, {
        dialect: 'gemini',
        provider,
        body,
        raw: rawBodies.get(request) ?? JSON.stringify(body),
        model,
        stream,
        sse: stream && query.alt === 'sse',
        headers: request.headers,
        signal: request.signal,
        exchange: runtime.observer.of(request),
      }),
      server,
    )
  }

  const geminiResourceChat = (context: Parameters<typeof geminiChat>[0]) => {
    if (!isProviderId(context.params.model)) throw notFound(`Not Found: no route POST ${clipInput(pathOfUrl(context.request.url))}`)
    return geminiChat(context)
  }

  // Unknown routes answer as OpenAI, the dialect most clients speak.
  // A path of no dialect (an unknown route) answers in the one the client's headers show.
  const dialects = new RouteDialects((headers) =>
    headers.has('anthropic-version') || headers.has('x-api-key') ? 'anthropic' : headers.has('x-goog-api-key') ? 'gemini' : 'openai',
  )
  // `/v1/models` serves every dialect: the Anthropic SDK sends anthropic-version, and the
  // Gemini SDK (API version v1 by default) lists models there with x-goog-api-key.
  const byHeader: DialectOf = (headers) => (headers.has('anthropic-version') ? 'anthropic' : headers.has('x-goog-api-key') ? 'gemini' : 'openai')
  const models =
    (dialect: DialectOf) =>
    ({ params, request }: { params?: { provider?: string }; request: Request }) => {
      const resolved = dialects.resolve(dialect, request.headers)
      const selection = select(params?.provider, request)
      return tagged(request, resolved, selection.provider, () => handleModels(runtime, resolved, selection, request.signal))
    }
  const model =
    (dialect: DialectOf) =>
    ({ params, request }: { params: { provider?: string; id: string; tail?: string }; request: Request }) => {
      const id = decodeURIComponent(joinTail(params.id, params.tail))
      const dialectOf = dialects.resolve(dialect, request.headers)
      const selection = select(params.provider, request, withoutModelsPrefix(id))
      return tagged(request, dialectOf, selection.provider, () => handleModel(runtime, dialectOf, selection, id, request.signal))
    }

  const openaiDoc = { tags: ['openai'], summary: 'OpenAI Chat Completions', description: 'Set `stream: true` for SSE ending in `data: [DONE]`.' }
  const anthropicDoc = { tags: ['anthropic'], summary: 'Anthropic Messages', description: 'Set `stream: true` for the full SSE event sequence.' }
  const countDoc = {
    tags: ['anthropic'],
    summary: 'Count input tokens',
    description: 'Upstream count where the provider has one, else an estimate (~4 characters per token).',
  }
  const geminiDoc = {
    tags: ['gemini'],
    summary: 'Gemini generateContent / streamGenerateContent / countTokens',
    description: 'The path ends in `{model}:generateContent`, `{model}:streamGenerateContent` (add `?alt=sse` for SSE) or `{model}:countTokens`.',
  }
  const listDoc = (tag: string) => ({
    tags: [tag],
    summary: 'List models: the selected provider’s, or (without a path/header selection) every reachable model, aliases and <provider>/<model> ids',
  })
  const modelDoc = (tag: string) => ({ tags: [tag], summary: 'One model of the selected provider (404 when its list lacks it)' })
  const ModelIdParam = t.String({ description: 'model id', examples: ['gpt-4o-mini'] })
  const geminiRoute = { parse, body: GeminiGenerateContentRequest, params: t.Object({ model: GeminiModelParam }), detail: geminiDoc }
  const geminiProviderRoute = { ...geminiRoute, params: t.Object({ provider: ProviderParam, model: GeminiModelParam }) }
  // `<provider-id>/<model>` ids (and other ids with a `/`) arrive unencoded from the Gemini SDK: one more path segment.
  const TailParam = t.String({ description: 'the rest of a model id holding a `/`: gemini-cli-oauth/{model}:generateContent' })
  const geminiSlashRoute = { ...geminiRoute, params: t.Object({ model: t.String(), tail: TailParam }) }
  const slashIdParams = t.Object({ id: t.String(), tail: TailParam })

  const openai = dialects.declare(
    'openai',
    new Elysia()
      .post('/v1/chat/completions', openaiChat, { parse, body: OpenAIChatRequest, detail: openaiDoc })
      .post('/:provider/v1/chat/completions', openaiChat, { parse, body: OpenAIChatRequest, params: t.Object({ provider: ProviderParam }), detail: openaiDoc }),
  )
  const anthropic = dialects.declare(
    'anthropic',
    new Elysia()
      .post('/v1/messages', anthropicMessages, { parse, body: AnthropicMessagesRequest, detail: anthropicDoc })
      .post('/:provider/v1/messages', anthropicMessages, {
        parse,
        body: AnthropicMessagesRequest,
        params: t.Object({ provider: ProviderParam }),
        detail: anthropicDoc,
      })
      .post('/v1/messages/count_tokens', anthropicCount, { parse, body: AnthropicCountTokensRequest, detail: countDoc })
      .post('/:provider/v1/messages/count_tokens', anthropicCount, {
        parse,
        body: AnthropicCountTokensRequest,
        params: t.Object({ provider: ProviderParam }),
        detail: countDoc,
      }),
  )
  const gemini = dialects.declare(
    'gemini',
    new Elysia()
      .post('/v1beta/models/:model', geminiChat, geminiRoute)
      .post('/:provider/v1beta/models/:model', geminiChat, geminiProviderRoute)
      // @google/genai defaults to API version v1: the same Gemini methods under /v1/models/{model}:method.
      .post('/v1/models/:model', geminiChat, geminiRoute)
      .post('/:provider/v1/models/:model', geminiChat, geminiProviderRoute)
      .post('/v1beta/models/:model/:tail', geminiChat, geminiSlashRoute)
      .post('/v1/models/:model/:tail', geminiChat, geminiSlashRoute)
      // The AI SDK's Google provider takes a model id holding a `/` for a full resource path and drops `models/`.
      .post('/v1beta/:model/:tail', geminiResourceChat, geminiSlashRoute)
      .get('/v1beta/models', models('gemini'), { detail: listDoc('gemini') })
      .get('/:provider/v1beta/models', models('gemini'), { params: t.Object({ provider: ProviderParam }), detail: listDoc('gemini') })
      .get('/v1beta/models/:id', model('gemini'), { params: t.Object({ id: ModelIdParam }), detail: modelDoc('gemini') })
      .get('/v1beta/models/:id/:tail', model('gemini'), { params: slashIdParams, detail: modelDoc('gemini') })
      .get('/:provider/v1beta/models/:id', model('gemini'), { params: t.Object({ provider: ProviderParam, id: ModelIdParam }), detail: modelDoc('gemini') }),
  )
  const sharedModels = dialects.declare(
    byHeader,
    new Elysia()
      .get('/v1/models', models(byHeader), { detail: listDoc('openai') })
      .get('/:provider/v1/models', models(byHeader), { params: t.Object({ provider: ProviderParam }), detail: listDoc('openai') })
      .get('/v1/models/:id', model(byHeader), { params: t.Object({ id: ModelIdParam }), detail: modelDoc('openai') })
      .get('/v1/models/:id/:tail', model(byHeader), { params: slashIdParams, detail: modelDoc('openai') })
      .get('/:provider/v1/models/:id', model(byHeader), { params: t.Object({ provider: ProviderParam, id: ModelIdParam }), detail: modelDoc('openai') }),
  )

  const responses = dialects.declare(
    'responses',
    responsesRoutes(runtime, { parse, chat: (context, raw) => chatOf('responses', context, raw), rawBody: (request) => rawBodies.get(request) }),
  )

  return { routes: new Elysia({ name: 'chat-routes' }).use(openai).use(anthropic).use(gemini).use(responses).use(sharedModels), dialects }
}

/** The request's query string without the gateway key (`?key=`), '' when nothing is left. */
export function forwardedQuery(url: string): string {
  const start = url.indexOf('?')
  if (start === -1) return ''
  const params = new URLSearchParams(url.slice(start + 1))
  params.delete('key')
  const query = params.toString()
  return query === '' ? '' : `?${query}`
}

/** The model path parameter, joined with the next segment when the id holds a `/` (`gemini-cli-oauth/gemini-2.5-pro`). */
const joinTail = (head: string, tail: string | undefined) => (tail === undefined ? head : `${head}/${tail}`)

const GEMINI_METHODS = new Set(['generateContent', 'streamGenerateContent', 'countTokens'])

/** `gemini-2.5-pro:generateContent` → model and method (split on the last colon). */
export function splitGeminiModel(param: string): { model: string; method: string } {
  const colon = param.lastIndexOf(':')
  const method = colon === -1 ? '' : param.slice(colon + 1)
  if (!GEMINI_METHODS.has(method))
    throw notFound(`Not Found: unknown Gemini method in ${quoteInput(param)}; use {model}:generateContent, :streamGenerateContent or :countTokens`)
  return { model: param.slice(0, colon).replace(/^models\//, ''), method }
}
