// The client-facing routes of the three dialects, each also reachable under a provider
// path segment (`/{provider}/v1/...`), one route group per dialect that declares it (so
// errors before the handler render in it). Handlers only turn HTTP into plain inputs for
// the pipeline; everything else happens there.
import { Elysia, t } from 'elysia'
import { AnthropicCountTokensRequest, AnthropicMessagesRequest } from '../dialects/anthropic/schema.ts'
import { GeminiGenerateContentRequest } from '../dialects/gemini/schema.ts'
import { OpenAIChatRequest } from '../dialects/openai/schema.ts'
import { notFound } from '../errors/gateway-error.ts'
import { handleChat } from '../pipeline/chat.ts'
import { handleCountTokens, handleModel, handleModels } from '../pipeline/models.ts'
import type { Runtime } from '../pipeline/runtime.ts'
import { selectProvider } from '../pipeline/select-provider.ts'
import { isProviderId, PROVIDER_IDS, type ProviderId } from '../providers/types.ts'
import { readJsonBody } from './body.ts'
import { type DialectOf, RouteDialects } from './route-dialects.ts'
import { quoteInput } from '../errors/echo.ts'

const ProviderParam = t.String({ description: `provider id: ${PROVIDER_IDS.join(', ')}`, examples: ['local-echo'] })
const GeminiModelParam = t.String({
  description: 'model and method: {model}:generateContent, :streamGenerateContent or :countTokens',
  examples: ['gemini-2.5-flash:generateContent'],
})

type Body = Record<string, unknown>

export function chatRoutes(runtime: Runtime) {
  const maxBytes = runtime.config.MAX_REQUEST_BODY_BYTES
  // The exact request text, for byte-for-byte passthrough; keyed by request, dropped with it.
  const rawBodies = new WeakMap<Request, string>()
  const parse = async ({ request }: { request: Request }) => {
    const body = await readJsonBody(request, maxBytes)
    rawBodies.set(request, body.raw)
    return body.value
  }

  const provider = (pathProvider: string | undefined, headers: Headers): ProviderId => {
    if (pathProvider !== undefined && !isProviderId(pathProvider))
      throw notFound(`Not Found: ${quoteInput(pathProvider)} is not a provider id (${PROVIDER_IDS.join(', ')})`)
    return selectProvider(pathProvider, headers, runtime.defaultProvider)
  }

  // OpenAI and Anthropic carry model and stream flag in the body; Gemini in the URL.
  const bodyChat =
    (dialect: 'openai' | 'anthropic') =>
    ({ body, params, request }: { body: Body; params?: { provider?: string }; request: Request }) =>
      handleChat(runtime, {
        dialect,
        provider: provider(params?.provider, request.headers),
        body,
        raw: rawBodies.get(request) ?? JSON.stringify(body),
        query: forwardedQuery(request.url),
        model: String(body.model),
        stream: body.stream === true,
        sse: true,
        headers: request.headers,
        signal: request.signal,
      })
  const openaiChat = bodyChat('openai')
  const anthropicMessages = bodyChat('anthropic')

  const anthropicCount = ({ body, params, request }: { body: Body; params?: { provider?: string }; request: Request }) =>
    handleCountTokens(runtime, {
      dialect: 'anthropic',
      provider: provider(params?.provider, request.headers),
      body,
      model: String(body.model),
      signal: request.signal,
    })

  const geminiChat = ({
    body,
    params,
    query,
    request,
  }: {
    body: Body
    params: { provider?: string; model: string }
    query: Record<string, string | undefined>
    request: Request
  }) => {
    const { model, method } = splitGeminiModel(params.model)
    const selected = provider(params?.provider, request.headers)
    if (method === 'countTokens') return handleCountTokens(runtime, { dialect: 'gemini', provider: selected, body, model, signal: request.signal })
    const stream = method === 'streamGenerateContent'
    return handleChat(runtime, {
      dialect: 'gemini',
      provider: selected,
      body,
      raw: rawBodies.get(request) ?? JSON.stringify(body),
      model,
      stream,
      sse: stream && query.alt === 'sse',
      headers: request.headers,
      signal: request.signal,
    })
  }

  // Unknown routes answer as OpenAI, the dialect most clients speak.
  // A path of no dialect (an unknown route) answers in the one the client's headers show.
  const dialects = new RouteDialects((headers) =>
    headers.has('anthropic-version') || headers.has('x-api-key') ? 'anthropic' : headers.has('x-goog-api-key') ? 'gemini' : 'openai',
  )
  // `/v1/models` serves OpenAI and Anthropic clients: the Anthropic SDK sends anthropic-version.
  const byHeader: DialectOf = (headers) => (headers.has('anthropic-version') ? 'anthropic' : 'openai')
  const models =
    (dialect: DialectOf) =>
    ({ params, request }: { params?: { provider?: string }; request: Request }) =>
      handleModels(runtime, dialects.resolve(dialect, request.headers), provider(params?.provider, request.headers), request.signal)
  const model =
    (dialect: DialectOf) =>
    ({ params, request }: { params: { provider?: string; id: string }; request: Request }) =>
      handleModel(
        runtime,
        dialects.resolve(dialect, request.headers),
        provider(params.provider, request.headers),
        decodeURIComponent(params.id),
        request.signal,
      )

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
  const listDoc = (tag: string) => ({ tags: [tag], summary: 'List the selected provider models' })
  const modelDoc = (tag: string) => ({ tags: [tag], summary: 'One model of the selected provider (404 when its list lacks it)' })
  const ModelIdParam = t.String({ description: 'model id', examples: ['gpt-4o-mini'] })
  const geminiRoute = { parse, body: GeminiGenerateContentRequest, params: t.Object({ model: GeminiModelParam }), detail: geminiDoc }
  const geminiProviderRoute = { ...geminiRoute, params: t.Object({ provider: ProviderParam, model: GeminiModelParam }) }

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
      .get('/v1beta/models', models('gemini'), { detail: listDoc('gemini') })
      .get('/:provider/v1beta/models', models('gemini'), { params: t.Object({ provider: ProviderParam }), detail: listDoc('gemini') })
      .get('/v1beta/models/:id', model('gemini'), { params: t.Object({ id: ModelIdParam }), detail: modelDoc('gemini') })
      .get('/:provider/v1beta/models/:id', model('gemini'), { params: t.Object({ provider: ProviderParam, id: ModelIdParam }), detail: modelDoc('gemini') }),
  )
  const sharedModels = dialects.declare(
    byHeader,
    new Elysia()
      .get('/v1/models', models(byHeader), { detail: listDoc('openai') })
      .get('/:provider/v1/models', models(byHeader), { params: t.Object({ provider: ProviderParam }), detail: listDoc('openai') })
      .get('/v1/models/:id', model(byHeader), { params: t.Object({ id: ModelIdParam }), detail: modelDoc('openai') })
      .get('/:provider/v1/models/:id', model(byHeader), { params: t.Object({ provider: ProviderParam, id: ModelIdParam }), detail: modelDoc('openai') }),
  )

  return { routes: new Elysia({ name: 'chat-routes' }).use(openai).use(anthropic).use(gemini).use(sharedModels), dialects }
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

const GEMINI_METHODS = new Set(['generateContent', 'streamGenerateContent', 'countTokens'])

/** `gemini-2.5-pro:generateContent` → model and method (split on the last colon). */
export function splitGeminiModel(param: string): { model: string; method: string } {
  const colon = param.lastIndexOf(':')
  const method = colon === -1 ? '' : param.slice(colon + 1)
  if (!GEMINI_METHODS.has(method))
    throw notFound(`Not Found: unknown Gemini method in ${quoteInput(param)}; use {model}:generateContent, :streamGenerateContent or :countTokens`)
  return { model: param.slice(0, colon).replace(/^models\//, ''), method }
}
