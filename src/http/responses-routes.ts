// The Responses API routes: create (at the root and under a provider path segment) and
// retrieve a stored answer. Conversation state (previous_response_id, store) is handled
// here around the ordinary chat pipeline, which sees a self-contained request.
import { Elysia, t } from 'elysia'
import { ResponsesRequest } from '../dialects/responses/schema.ts'
import { notFound } from '../errors/gateway-error.ts'
import { quoteInput } from '../errors/echo.ts'
import type { Runtime } from '../pipeline/runtime.ts'
import { PROVIDER_IDS } from '../providers/types.ts'
import { continueConversation, storeAnswer } from '../responses/conversation.ts'
import { MemoryResponseStore, type ResponseStore } from '../responses/store.ts'
import type { ChatContext } from './routes.ts'

interface Wiring {
  parse: (context: { request: Request }) => Promise<unknown>
  /** The shared body-dialect chat path; `raw` is the body's exact text (a rewritten body's own). */
  chat: (context: ChatContext, raw?: string) => Promise<Response>
  rawBody: (request: Request) => string | undefined
}

const ProviderParam = t.String({ description: `provider id: ${PROVIDER_IDS.join(', ')}`, examples: ['local-echo'] })
const createDoc = {
  tags: ['responses'],
  summary: 'OpenAI Responses API',
  description:
    'Set `stream: true` for the event stream (response.created … response.completed). Answers are kept for `previous_response_id` unless `store: false`.',
}
const retrieveDoc = { tags: ['responses'], summary: 'A stored Responses API answer (404 when unknown, expired or stored with `store: false`)' }

export function responsesRoutes(runtime: Runtime, wiring: Wiring, store: ResponseStore = storeOf(runtime)) {
  // Elysia reads a handler's parameter list to know what to provide: `server` is named here.
  const create = async ({ body: asked, params, request, server }: ChatContext) => {
    const { body, input, rewritten } = await continueConversation(store, asked)
    const raw = rewritten ? JSON.stringify(body) : wiring.rawBody(request)
    const answer = await wiring.chat({ body, params, request, server }, raw)
    if (asked.store === false) return answer
    return storeAnswer(store, answer, input, asked.stream === true)
  }
  const retrieve = async ({ params }: { params: { id: string } }) => {
    const stored = await store.get(params.id)
    if (!stored) throw notFound(`No response found with id ${quoteInput(params.id)}.`)
    return stored.response
  }
  const route = { parse: wiring.parse, body: ResponsesRequest, detail: createDoc }
  return new Elysia()
    .post('/v1/responses', create, route)
    .post('/:provider/v1/responses', create, { ...route, params: t.Object({ provider: ProviderParam }) })
    .get('/v1/responses/:id', retrieve, { params: t.Object({ id: t.String({ description: 'the answer id, resp_…' }) }), detail: retrieveDoc })
}

function storeOf(runtime: Runtime): ResponseStore {
  const ttlMs = runtime.config.RESPONSES_STORE_TTL_SECONDS * 1000
  const local = new MemoryResponseStore(runtime.config.RESPONSES_STORE_MAX, ttlMs, runtime.now)
  // With REDIS_URL, an answer stored on one replica continues the conversation on any other.
  return runtime.replicas && runtime.config.RESPONSES_STORE_MAX > 0 ? runtime.replicas.responses(local, ttlMs) : local
}
