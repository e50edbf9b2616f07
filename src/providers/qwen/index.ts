// openai-qwen-oauth: Qwen's OpenAI-compatible chat with Qwen Code's OAuth login. The
// client's OpenAI body goes through as is: none of the original's injected dummy tool,
// rewritten system message or substituted model.
import type { MemberConfig } from '../../config/schema.ts'
import { internalError } from '../../errors/gateway-error.ts'
import { upstreamFetch } from '../../upstream/http.ts'
import { readCappedText } from '../../upstream/body.ts'
import { httpReply } from '../http-reply.ts'
import { sendAuthorized } from '../oauth/authorized-send.ts'
import { CredentialStore, credentialProblem } from '../oauth/credential-store.ts'
import type { Token } from '../oauth/token-source.ts'
import type { ChatCall, ModelInfo, ProviderClient, ProviderDefinition, ProviderDeps, UpstreamReply } from '../types.ts'
import { decodeQwenCredential, qwenCredentialMessage, qwenCredentialSource, type QwenCredential } from './credentials.ts'
import { qwenChatBaseUrl } from './endpoint.ts'
import { decodeQwenError } from './errors.ts'
import { QWEN_MODELS, QWEN_PROBE_MODEL } from './models.ts'
import { refreshQwenToken } from './token-refresh.ts'

const REFRESH_MARGIN_MS = 5 * 60_000
const OAUTH_TIMEOUT_MS = 30_000
// The Qwen Code release whose headers we send.
const QWEN_CODE_USER_AGENT = `QwenCode/0.14.2 (${process.platform}; ${process.arch})`

export const qwenProvider: ProviderDefinition = {
  id: 'openai-qwen-oauth',
  accepts: 'openai',
  notConfigured(config) {
    const source = qwenCredentialSource(config)
    const problem = credentialProblem(source, decodeQwenCredential)
    return problem === undefined ? undefined : qwenCredentialMessage(source.path, problem)
  },
  create: createQwenClient,
}

function createQwenClient(config: MemberConfig, deps: ProviderDeps): ProviderClient {
  const source = qwenCredentialSource(config)
  const refreshOptions = {
    oauthBaseUrl: config.QWEN_OAUTH_BASE_URL,
    path: source.path,
    fetch: deps.fetch,
    now: deps.now,
    timeoutMs: Math.min(config.REQUEST_TIMEOUT_MS, OAUTH_TIMEOUT_MS),
  }
  const store = new CredentialStore<QwenCredential>({
    source,
    decode: decodeQwenCredential,
    exchange: (credential) => refreshQwenToken(credential, refreshOptions),
    describe: (problem) => qwenCredentialMessage(source.path, problem),
    now: deps.now,
    marginMs: REFRESH_MARGIN_MS,
    log: deps.log,
    ...(deps.credential === undefined ? {} : { shared: deps.credential }),
  })

  const postChat = async (body: string, stream: boolean, signal: AbortSignal, timeoutMs = config.REQUEST_TIMEOUT_MS): Promise<Response> => {
    const send = (token: Token) => {
      // The endpoint belongs to the token: a refresh may move it.
      const url = `${qwenChatBaseUrl(store.current?.resourceUrl, config.QWEN_BASE_URL)}/chat/completions`
      return upstreamFetch(url, { method: 'POST', headers: qwenHeaders(token, stream), body }, { timeoutMs, signal, fetch: deps.fetch })
    }
    const response = await sendAuthorized(store.tokens, send)
    if (response.ok) return response
    throw decodeQwenError(response.status, await readCappedText(response, config.MAX_RESPONSE_BODY_BYTES), response.headers, deps.now())
  }

  return {
    close: () => store.close(),
    async chat(call: ChatCall): Promise<UpstreamReply> {
      if (call.format !== 'openai') {
        throw internalError(`openai-qwen-oauth takes OpenAI request bodies, not ${call.format}`)
      }
      const response = await postChat(requestBody(call), call.stream, call.signal)
      return httpReply('openai', response, config, deps, call.signal)
    },

    async listModels(): Promise<ModelInfo[]> {
      return QWEN_MODELS.map((model) => ({ ...model }))
    },

    async probe(model: string | undefined, signal: AbortSignal): Promise<void> {
      const body = JSON.stringify({ model: model ?? QWEN_PROBE_MODEL, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 1, stream: false })
      await (await postChat(body, false, signal, config.HEALTH_CHECK_TIMEOUT_MS)).arrayBuffer()
    },

    refreshIfNear: (withinMs: number) => store.tokens.refreshIfNear(withinMs),
  }
}

/**
 * The client's bytes when they already say the right model and stream mode; otherwise the
 * body with just those two fields set, serialised once. `stream_options` stays the client's.
 */
function requestBody(call: Extract<ChatCall, { body: Record<string, unknown> }>): string {
  const modelDiffers = call.body.model !== call.model
  const streamDiffers = call.stream ? call.body.stream !== true : call.body.stream === true
  if (!modelDiffers && !streamDiffers) return call.raw ?? JSON.stringify(call.body)
  return JSON.stringify({ ...call.body, model: call.model, stream: call.stream })
}

function qwenHeaders(token: Token, stream: boolean): Record<string, string> {
  return {
    authorization: `Bearer ${token.accessToken}`,
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
    'user-agent': QWEN_CODE_USER_AGENT,
    'x-dashscope-useragent': QWEN_CODE_USER_AGENT,
    'x-dashscope-authtype': 'qwen-oauth',
    'x-dashscope-cachecontrol': 'enable',
  }
}
