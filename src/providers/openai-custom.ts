// openai-custom: any OpenAI-compatible Chat Completions endpoint with a static key, and
// openai-responses-custom: a Responses API endpoint with a static key. One client serves
// both; they differ in the chat path, the dialect spoken there and their config keys.
// Same-dialect bodies are forwarded byte for byte; only the auth header changes.
import { openaiCodec } from '../dialects/openai/index.ts'
import type { Dialect } from '../dialects/types.ts'
import { upstreamFetch } from '../upstream/http.ts'
import { readCappedText } from '../upstream/body.ts'
import { httpReply } from './http-reply.ts'
import type { ChatCall, ModelInfo, ProviderClient, ProviderDefinition, ProviderDeps } from './types.ts'
import type { MemberConfig } from '../config/schema.ts'

/** What tells the two OpenAI-style providers apart. */
interface OpenAIStyle {
  id: 'openai-custom' | 'openai-responses-custom'
  dialect: Extract<Dialect, 'openai' | 'responses'>
  /** Where chat requests go, under the base URL. */
  chatPath: string
  baseUrl: (config: MemberConfig) => string
  apiKey: (config: MemberConfig) => string | undefined
  /** The smallest chat request, for health probes. */
  probeBody: (model: string) => unknown
}

function createOpenAIClient(style: OpenAIStyle, config: MemberConfig, deps: ProviderDeps): ProviderClient {
  const base = style.baseUrl(config).replace(/\/+$/, '')
  // notConfigured keeps a member without a key from being created.
  const key = style.apiKey(config) ?? ''
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
  deps.log.addSecret(key)

  const post = async (path: string, body: string, signal: AbortSignal, timeoutMs = config.REQUEST_TIMEOUT_MS, extra?: Record<string, string>) => {
    const response = await upstreamFetch(
      `${base}${path}`,
      { method: 'POST', headers: extra ? { ...extra, ...headers } : headers, body },
      { timeoutMs, signal, fetch: deps.fetch },
    )
    if (!response.ok) throw openaiCodec.decodeError(response.status, await readCappedText(response, config.MAX_RESPONSE_BODY_BYTES), response.headers)
    return response
  }

  return {
    async chat(call: ChatCall) {
      if (call.format !== style.dialect) throw new Error(`${style.id} takes ${style.dialect} bodies`)
      // x-request-id and traceparent go along: OpenAI-compatible servers log or continue them.
      const response = await post(style.chatPath, call.raw ?? JSON.stringify(call.body), call.signal, undefined, call.upstreamHeaders)
      return httpReply(style.dialect, response, config, deps, call.signal)
    },
    async listModels(signal) {
      const response = await upstreamFetch(`${base}/models`, { headers }, { timeoutMs: config.REQUEST_TIMEOUT_MS, signal, fetch: deps.fetch })
      const text = await readCappedText(response, config.MAX_RESPONSE_BODY_BYTES)
      if (!response.ok) throw openaiCodec.decodeError(response.status, text, response.headers)
      return parseModelList(text)
    },
    async probe(model, signal) {
      const body = JSON.stringify(style.probeBody(model ?? 'gpt-4o-mini'))
      await (await post(style.chatPath, body, signal, config.HEALTH_CHECK_TIMEOUT_MS)).arrayBuffer()
    },
  }
}

function parseModelList(text: string): ModelInfo[] {
  try {
    const parsed = JSON.parse(text) as { data?: Array<{ id?: unknown; owned_by?: unknown; created?: unknown }> }
    return (parsed.data ?? []).flatMap((item) =>
      typeof item.id === 'string'
        ? [
            {
              id: item.id,
              ...(typeof item.owned_by === 'string' ? { ownedBy: item.owned_by } : {}),
              ...(typeof item.created === 'number' ? { createdAt: item.created } : {}),
            },
          ]
        : [],
    )
  } catch {
    return []
  }
}

const CHAT_STYLE: OpenAIStyle = {
  id: 'openai-custom',
  dialect: 'openai',
  chatPath: '/chat/completions',
  baseUrl: (config) => config.OPENAI_BASE_URL,
  apiKey: (config) => config.OPENAI_API_KEY,
  probeBody: (model) => ({ model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 1 }),
}

// The Responses API's smallest max_output_tokens is 16.
const RESPONSES_STYLE: OpenAIStyle = {
  id: 'openai-responses-custom',
  dialect: 'responses',
  chatPath: '/responses',
  baseUrl: (config) => config.OPENAI_RESPONSES_BASE_URL,
  apiKey: (config) => config.OPENAI_RESPONSES_API_KEY,
  probeBody: (model) => ({ model, input: 'Hi', max_output_tokens: 16, store: false }),
}

export const openaiCustomProvider: ProviderDefinition = {
  id: 'openai-custom',
  accepts: 'openai',
  notConfigured: (config) => (config.OPENAI_API_KEY ? undefined : 'set OPENAI_API_KEY (--openai-api-key) and optionally OPENAI_BASE_URL'),
  create: (config, deps) => createOpenAIClient(CHAT_STYLE, config, deps),
}

export const openaiResponsesCustomProvider: ProviderDefinition = {
  id: 'openai-responses-custom',
  accepts: 'responses',
  notConfigured: (config) =>
    config.OPENAI_RESPONSES_API_KEY ? undefined : 'set OPENAI_RESPONSES_API_KEY (--openai-responses-api-key) and optionally OPENAI_RESPONSES_BASE_URL',
  create: (config, deps) => createOpenAIClient(RESPONSES_STYLE, config, deps),
}
