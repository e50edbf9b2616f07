// The contract every provider implements. A provider definition is static (one per
// provider id); a client is created per pool member from that member's effective config.
import type { ChatEvent, ChatRequest } from '../chat/types.ts'
import type { MemberConfig } from '../config/schema.ts'
import type { Dialect } from '../dialects/types.ts'
import type { Logger } from '../log.ts'
import type { WatchedBody } from '../upstream/body.ts'
import type { SharedCredential } from './oauth/shared-credential.ts'

export const PROVIDER_IDS = [
  'local-echo',
  'openai-custom',
  'openai-responses-custom',
  'claude-custom',
  'gemini-cli-oauth',
  'claude-kiro-oauth',
  'openai-qwen-oauth',
] as const
export type ProviderId = (typeof PROVIDER_IDS)[number]

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value)
}

/**
 * What a provider's `chat` takes: the wire body of the dialect it speaks natively
 * (`accepts`), or the canonical request for providers with their own adapter.
 */
export type ChatCall = {
  model: string
  stream: boolean
  signal: AbortSignal
  /** The client's request headers (for pass-through headers such as `anthropic-beta`). */
  clientHeaders: Headers
  /** Correlation headers for the upstream request (x-request-id, traceparent), for providers whose API accepts them. */
  upstreamHeaders?: Record<string, string>
} & (
  | {
      format: Dialect
      body: Record<string, unknown>
      /** The client's exact bytes when the body was not changed (same-dialect passthrough). */
      raw?: string
      /** The client's query string on passthrough (`?beta=true`), gateway key removed; '' when none. */
      query?: string
    }
  | { format: 'canonical'; request: ChatRequest }
)

/**
 * A successful upstream answer, before any byte reached the client:
 * - `http`: a 2xx upstream response whose body is in `dialect` (plain shapes: envelopes
 *   such as Code Assist's are already unwrapped). Streams are SSE. Read the body through
 *   `body`, which carries the member's idle limit.
 * - `events`: canonical events (providers with a non-HTTP-dialect wire, e.g. Kiro, local-echo).
 * Errors are thrown as GatewayError (status, kind, scope, retry hint).
 */
export type UpstreamReply = { kind: 'http'; dialect: Dialect; response: Response; body: WatchedBody } | { kind: 'events'; events: AsyncIterable<ChatEvent> }

export interface ModelInfo {
  id: string
  displayName?: string
  ownedBy?: string
  createdAt?: number
  inputTokenLimit?: number
  outputTokenLimit?: number
}

export interface ProviderClient {
  chat(call: ChatCall): Promise<UpstreamReply>
  listModels(signal: AbortSignal): Promise<ModelInfo[]>
  /** Input tokens of a request: the upstream's own count where it has one, else undefined (the caller estimates). */
  countTokens?(request: ChatRequest, signal: AbortSignal): Promise<number | undefined>
  /** The cheapest real request (max 1 token) to prove the member works. Throws GatewayError. */
  probe(model: string | undefined, signal: AbortSignal): Promise<void>
  /** Refresh credentials that expire within `withinMs` (background cron). */
  refreshIfNear?(withinMs: number): Promise<void>
  /** Release timers/sockets held by this client. */
  close?(): void
}

export interface ProviderDeps {
  log: Logger
  /** Injected so tests can control time. */
  now: () => number
  fetch: typeof fetch
  /** This member's OAuth credential as shared with other replicas (only with REDIS_URL). */
  credential?: SharedCredential
}

export interface ProviderDefinition {
  id: ProviderId
  /** What `chat` takes: a wire dialect body, or the canonical request. */
  accepts: Dialect | 'canonical'
  /** Why this member cannot serve (which key or file to set), or undefined when it can. */
  notConfigured(config: MemberConfig): string | undefined
  create(config: MemberConfig, deps: ProviderDeps): ProviderClient
}
