// One Kiro pool member: builds the request, sends it with a fresh-enough token (one
// refresh and replay after a token rejection), and turns the event stream into canonical
// events as the frames arrive — the body is never read whole first.
import { estimateRequestTokens } from '../../chat/estimate-tokens.ts'
import type { ChatEvent, ChatRequest } from '../../chat/types.ts'
import type { MemberConfig } from '../../config/schema.ts'
import { badGateway, internalError } from '../../errors/gateway-error.ts'
import { upstreamFetch } from '../../upstream/http.ts'
import { readBody, readCappedText } from '../../upstream/body.ts'
import type { Token } from '../oauth/token-source.ts'
import type { ChatCall, ProviderClient, ProviderDeps, UpstreamReply } from '../types.ts'
import { isTokenRejection, kiroHttpError } from './errors.ts'
import { decodeEventStream } from './event-stream.ts'
import { kiroChatEvents } from './events.ts'
import { kiroHeaders, machineId } from './headers.ts'
import { contextWindowOf, DEFAULT_PROBE_MODEL, KIRO_MODELS, kiroModelId } from './models.ts'
import { withRegion } from './refresh.ts'
import { buildKiroRequest } from './request-build.ts'
import { KiroSession } from './session.ts'

export interface KiroClientDeps extends ProviderDeps {
  /** Conversation and invocation ids; injected so tests can pin them. */
  randomUUID?: () => string
}

export function createKiroClient(config: MemberConfig, deps: KiroClientDeps): ProviderClient {
  const session = new KiroSession(config, deps)
  const uuid = deps.randomUUID ?? (() => crypto.randomUUID())

  async function send(request: ChatRequest, model: string, signal: AbortSignal, timeoutMs: number): Promise<AsyncIterable<ChatEvent>> {
    // Built before any token work: a request Kiro cannot carry fails as a 400 at once.
    const built = buildKiroRequest(request, { modelId: kiroModelId(model), conversationId: uuid() })
    const post = async (token: Token) => {
      const credentials = session.credentials()
      const profileArn = credentials.authMethod === 'social' ? credentials.profileArn : undefined
      const body = profileArn ? { ...built.body, profileArn } : built.body
      return upstreamFetch(
        withRegion(config.KIRO_BASE_URL, credentials.region),
        { method: 'POST', headers: kiroHeaders(token.accessToken, machineId(credentials), uuid()), body: JSON.stringify(body) },
        { timeoutMs, signal, fetch: deps.fetch },
      )
    }

    const token = await session.tokens.get()
    let response = await post(token)
    if (!response.ok) {
      const text = await readCappedText(response, config.MAX_RESPONSE_BODY_BYTES)
      if (!isTokenRejection(response.status, text)) throw kiroHttpError(response.status, text, response.headers, deps.now())
      deps.log.info(`kiro: access token rejected (${response.status}); refreshing once`)
      response = await post(await session.tokens.invalidate(token))
      if (!response.ok) throw kiroHttpError(response.status, await readCappedText(response, config.MAX_RESPONSE_BODY_BYTES), response.headers, deps.now())
    }
    if (!response.body) throw badGateway('Kiro answered without a body')
    return kiroChatEvents(decodeEventStream(readBody(response.body, config.STREAM_IDLE_TIMEOUT_MS, deps.now, signal)), {
      id: `msg_${uuid().replaceAll('-', '')}`,
      model,
      toolNames: built.toolNames,
      contextWindow: contextWindowOf(model),
      inputTokens: estimateRequestTokens(request),
      now: deps.now,
    })
  }

  return {
    async chat(call: ChatCall): Promise<UpstreamReply> {
      if (call.format !== 'canonical') throw internalError('claude-kiro-oauth takes canonical requests')
      return { kind: 'events', events: await send(call.request, call.model, call.signal, config.REQUEST_TIMEOUT_MS) }
    },
    listModels: async () => KIRO_MODELS.map((model) => ({ ...model })),
    async probe(model, signal) {
      const chosen = model ?? DEFAULT_PROBE_MODEL
      const request: ChatRequest = {
        model: chosen,
        system: [],
        messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }],
        maxTokens: 1,
        stream: true,
      }
      const events = await send(request, chosen, signal, config.HEALTH_CHECK_TIMEOUT_MS)
      // Read to the end: an exception frame or a corrupt stream must fail the probe too.
      const iterator = events[Symbol.asyncIterator]()
      while (!(await iterator.next()).done);
    },
    refreshIfNear: (withinMs) => session.tokens.refreshIfNear(withinMs),
    close: () => session.close(),
  }
}
