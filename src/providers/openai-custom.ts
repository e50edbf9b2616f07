// openai-custom: any OpenAI-compatible Chat Completions endpoint with a static key.
// Same-dialect bodies are forwarded byte for byte; only the auth header changes.
import { openaiCodec } from '../dialects/openai/index.ts'
import { upstreamFetch } from '../upstream/http.ts'
import { readCappedText } from '../upstream/body.ts'
import { httpReply } from './http-reply.ts'
import type { ChatCall, ModelInfo, ProviderClient, ProviderDefinition, ProviderDeps } from './types.ts'
import type { MemberConfig } from '../config/schema.ts'

function createOpenAIClient(config: MemberConfig, deps: ProviderDeps): ProviderClient {
  const base = config.OPENAI_BASE_URL.replace(/\/+$/, '')
  const headers = { authorization: `Bearer ${config.OPENAI_API_KEY}`, 'content-type': 'application/json' }
  deps.log.addSecret(config.OPENAI_API_KEY)

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
      if (call.format !== 'openai') throw new Error('openai-custom takes OpenAI bodies')
      // x-request-id and traceparent go along: OpenAI-compatible servers log or continue them.
      const response = await post('/chat/completions', call.raw ?? JSON.stringify(call.body), call.signal, undefined, call.upstreamHeaders)
      return httpReply('openai', response, config, deps, call.signal)
    },
    async listModels(signal) {
      const response = await upstreamFetch(`${base}/models`, { headers }, { timeoutMs: config.REQUEST_TIMEOUT_MS, signal, fetch: deps.fetch })
      const text = await readCappedText(response, config.MAX_RESPONSE_BODY_BYTES)
      if (!response.ok) throw openaiCodec.decodeError(response.status, text, response.headers)
      return parseModelList(text)
    },
    async probe(model, signal) {
      const body = JSON.stringify({ model: model ?? 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 1 })
      await (await post('/chat/completions', body, signal, config.HEALTH_CHECK_TIMEOUT_MS)).arrayBuffer()
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

export const openaiCustomProvider: ProviderDefinition = {
  id: 'openai-custom',
  accepts: 'openai',
  notConfigured: (config) => (config.OPENAI_API_KEY ? undefined : 'set OPENAI_API_KEY (--openai-api-key) and optionally OPENAI_BASE_URL'),
  create: createOpenAIClient,
}
