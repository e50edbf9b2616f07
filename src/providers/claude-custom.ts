// claude-custom: the Anthropic Messages API with a static key. Same-dialect bodies are
// forwarded byte for byte; `anthropic-version` and `anthropic-beta` come from the client
// when it sent them.
import { anthropicCodec } from '../dialects/anthropic/index.ts'
import type { MemberConfig } from '../config/schema.ts'
import { upstreamFetch } from '../upstream/http.ts'
import { readCappedText } from '../upstream/body.ts'
import { httpReply } from './http-reply.ts'
import type { ChatCall, ModelInfo, ProviderClient, ProviderDefinition, ProviderDeps } from './types.ts'

const DEFAULT_VERSION = '2023-06-01'

/** The base URL may be given with or without /v1; requests always go to …/v1/<path>. */
export function claudeApiBase(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '')
  return trimmed.endsWith('/v1') ? trimmed : `${trimmed}/v1`
}

const COUNT_FIELDS = ['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking'] as const

function createClaudeClient(config: MemberConfig, deps: ProviderDeps): ProviderClient {
  const base = claudeApiBase(config.CLAUDE_BASE_URL)
  const key = config.CLAUDE_API_KEY ?? ''
  deps.log.addSecret(key)
  const headersFor = (client?: Headers, extra?: Record<string, string>) => {
    const headers: Record<string, string> = {
      ...extra,
      'x-api-key': key,
      'anthropic-version': client?.get('anthropic-version') ?? DEFAULT_VERSION,
      'content-type': 'application/json',
    }
    const beta = client?.get('anthropic-beta')
    if (beta) headers['anthropic-beta'] = beta
    return headers
  }
  const post = async (
    path: string,
    body: string,
    signal: AbortSignal,
    client?: Headers,
    timeoutMs = config.REQUEST_TIMEOUT_MS,
    extra?: Record<string, string>,
  ) => {
    const response = await upstreamFetch(
      `${base}${path}`,
      { method: 'POST', headers: headersFor(client, extra), body },
      { timeoutMs, signal, fetch: deps.fetch },
    )
    if (!response.ok) throw anthropicCodec.decodeError(response.status, await readCappedText(response, config.MAX_RESPONSE_BODY_BYTES), response.headers)
    return response
  }

  return {
    async chat(call: ChatCall) {
      if (call.format !== 'anthropic') throw new Error('claude-custom takes Anthropic bodies')
      // Claude Code asks for `/v1/messages?beta=true`; the query goes along on passthrough.
      // x-request-id and traceparent go along; the Messages API ignores headers it does not know.
      const response = await post(
        `/messages${call.query ?? ''}`,
        call.raw ?? JSON.stringify(call.body),
        call.signal,
        call.clientHeaders,
        config.REQUEST_TIMEOUT_MS,
        call.upstreamHeaders,
      )
      return httpReply('anthropic', response, config, deps, call.signal)
    },
    async countTokens(request, signal) {
      const full = anthropicCodec.encodeRequest(request)
      const body = Object.fromEntries(COUNT_FIELDS.flatMap((field) => (full[field] === undefined ? [] : [[field, full[field]]])))
      const response = await post('/messages/count_tokens', JSON.stringify(body), signal)
      const parsed = (await response.json()) as { input_tokens?: unknown }
      return typeof parsed.input_tokens === 'number' ? parsed.input_tokens : undefined
    },
    async listModels(signal) {
      const response = await upstreamFetch(
        `${base}/models?limit=1000`,
        { headers: headersFor() },
        { timeoutMs: config.REQUEST_TIMEOUT_MS, signal, fetch: deps.fetch },
      )
      const text = await readCappedText(response, config.MAX_RESPONSE_BODY_BYTES)
      if (!response.ok) throw anthropicCodec.decodeError(response.status, text, response.headers)
      return parseModelList(text)
    },
    async probe(model, signal) {
      const body = JSON.stringify({ model: model ?? 'claude-haiku-4-5', max_tokens: 1, messages: [{ role: 'user', content: 'Hi' }] })
      await (await post('/messages', body, signal, undefined, config.HEALTH_CHECK_TIMEOUT_MS)).arrayBuffer()
    },
  }
}

function parseModelList(text: string): ModelInfo[] {
  try {
    const parsed = JSON.parse(text) as { data?: Array<{ id?: unknown; display_name?: unknown; created_at?: unknown }> }
    return (parsed.data ?? []).flatMap((item) => {
      if (typeof item.id !== 'string') return []
      const created = typeof item.created_at === 'string' ? Date.parse(item.created_at) : Number.NaN
      return [
        {
          id: item.id,
          ownedBy: 'anthropic',
          ...(typeof item.display_name === 'string' ? { displayName: item.display_name } : {}),
          ...(Number.isNaN(created) ? {} : { createdAt: Math.floor(created / 1000) }),
        },
      ]
    })
  } catch {
    return []
  }
}

export const claudeCustomProvider: ProviderDefinition = {
  id: 'claude-custom',
  accepts: 'anthropic',
  notConfigured: (config) => (config.CLAUDE_API_KEY ? undefined : 'set CLAUDE_API_KEY (--claude-api-key) and optionally CLAUDE_BASE_URL'),
  create: createClaudeClient,
}
