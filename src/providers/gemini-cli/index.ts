// gemini-cli-oauth: Gemini through the Code Assist API with the Gemini CLI's Google login.
// Takes plain Gemini request bodies and answers plain Gemini bodies (envelope removed).
import type { ChatRequest } from '../../chat/types.ts'
import type { MemberConfig } from '../../config/schema.ts'
import { geminiCodec } from '../../dialects/gemini/index.ts'
import { GatewayError, notFound, internalError } from '../../errors/gateway-error.ts'
import { httpReply } from '../http-reply.ts'
import { CredentialStore, credentialProblem } from '../oauth/credential-store.ts'
import type { ChatCall, ModelInfo, ProviderClient, ProviderDefinition, ProviderDeps, UpstreamReply } from '../types.ts'
import { CodeAssistClient } from './code-assist-client.ts'
import { decodeGeminiCredential, describeGeminiSource, geminiCredentialMessage, geminiCredentialSource, type GeminiCredential } from './credentials.ts'
import { unwrapJsonResponse, unwrapSseResponse } from './envelope.ts'
import { GEMINI_CLI_MODELS, GEMINI_CLI_PROBE_MODEL } from './models.ts'
import { ProjectResolver } from './project-discovery.ts'
import { refreshGeminiToken } from './token-refresh.ts'

/** google-auth-library's eager refresh threshold. */
const REFRESH_MARGIN_MS = 5 * 60_000
const OAUTH_TIMEOUT_MS = 30_000

export interface GeminiCliOptions {
  /** Waits between onboarding polls (tests pass one that returns at once). */
  sleep?: (ms: number) => Promise<void>
  pollIntervalMs?: number
  maxPolls?: number
}

export function createGeminiCliProvider(options: GeminiCliOptions = {}): ProviderDefinition {
  return {
    id: 'gemini-cli-oauth',
    accepts: 'gemini',
    notConfigured(config) {
      const source = geminiCredentialSource(config)
      const problem = credentialProblem(source, decodeGeminiCredential)
      return problem === undefined ? undefined : geminiCredentialMessage(source, problem)
    },
    create: (config, deps) => createClient(config, deps, options),
  }
}

export const geminiCliProvider: ProviderDefinition = createGeminiCliProvider()

function createClient(config: MemberConfig, deps: ProviderDeps, options: GeminiCliOptions): ProviderClient {
  const source = geminiCredentialSource(config)
  const refreshOptions = {
    tokenUrl: config.GEMINI_OAUTH_TOKEN_URL,
    where: describeGeminiSource(source),
    fetch: deps.fetch,
    now: deps.now,
    timeoutMs: Math.min(config.REQUEST_TIMEOUT_MS, OAUTH_TIMEOUT_MS),
  }
  const store = new CredentialStore<GeminiCredential>({
    source,
    decode: decodeGeminiCredential,
    exchange: (credential) => refreshGeminiToken(credential, refreshOptions),
    describe: (problem) => geminiCredentialMessage(source, problem),
    now: deps.now,
    marginMs: REFRESH_MARGIN_MS,
    log: deps.log,
    ...(deps.credential === undefined ? {} : { shared: deps.credential }),
  })
  const codeAssist = new CodeAssistClient({
    baseUrl: config.GEMINI_BASE_URL,
    store,
    fetch: deps.fetch,
    now: deps.now,
    timeoutMs: config.REQUEST_TIMEOUT_MS,
    maxBytes: config.MAX_RESPONSE_BODY_BYTES,
  })
  const projects = new ProjectResolver(codeAssist, config.PROJECT_ID, {
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    intervalMs: options.pollIntervalMs ?? 2000,
    maxPolls: options.maxPolls ?? 30,
  })

  const generate = async (model: string, request: string, stream: boolean, signal: AbortSignal, timeoutMs?: number): Promise<Response> => {
    const project = await projects.get(signal)
    // The request goes in verbatim: no inner `model`, no silent model substitution.
    const envelope = `{"model":${JSON.stringify(model)},"project":${JSON.stringify(project)},"request":${request}}`
    try {
      const call = { model, stream, signal, ...(timeoutMs === undefined ? {} : { timeoutMs }) }
      return await codeAssist.post(stream ? 'streamGenerateContent' : 'generateContent', envelope, call)
    } catch (error) {
      if (error instanceof GatewayError && error.status === 404) {
        throw notFound(`model "${model}" is not available through Gemini Code Assist (${error.message})`)
      }
      throw error
    }
  }

  return {
    close: () => store.close(),
    async chat(call: ChatCall): Promise<UpstreamReply> {
      if (call.format !== 'gemini') {
        throw internalError(`gemini-cli-oauth takes Gemini request bodies, not ${call.format}`)
      }
      const response = await generate(call.model, call.raw ?? JSON.stringify(call.body), call.stream, call.signal)
      const unwrapped = call.stream ? unwrapSseResponse(response) : await unwrapJsonResponse(response, config.MAX_RESPONSE_BODY_BYTES)
      return httpReply('gemini', unwrapped, config, deps, call.signal)
    },

    async listModels(): Promise<ModelInfo[]> {
      return GEMINI_CLI_MODELS.map((model) => ({ ...model }))
    },

    async countTokens(request: ChatRequest, signal: AbortSignal): Promise<number | undefined> {
      const contents = geminiCodec.encodeRequest(request).contents
      const body = JSON.stringify({ request: { model: `models/${request.model}`, contents } })
      try {
        const answer = await codeAssist.post('countTokens', body, { model: request.model, signal })
        const total: unknown = ((await answer.json()) as { totalTokens?: unknown }).totalTokens
        return typeof total === 'number' ? total : undefined
      } catch (error) {
        // The client's own fault is answered; an unavailable count falls back to an estimate.
        if (error instanceof GatewayError && error.scope === 'request') throw error
        deps.log.debug(`gemini-cli-oauth countTokens unavailable: ${error instanceof Error ? error.message : String(error)}`)
        return undefined
      }
    },

    async probe(model: string | undefined, signal: AbortSignal): Promise<void> {
      const request = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }], generationConfig: { maxOutputTokens: 1 } })
      const response = await generate(model ?? GEMINI_CLI_PROBE_MODEL, request, false, signal, config.HEALTH_CHECK_TIMEOUT_MS)
      await response.arrayBuffer()
    },

    refreshIfNear: (withinMs: number) => store.tokens.refreshIfNear(withinMs),
  }
}
