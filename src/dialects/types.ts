// The contract each client/provider dialect implements: conversion between its wire
// format and the canonical chat shape (src/chat/types.ts), in both directions.
import type { ChatEvent, ChatRequest, ChatResponse } from '../chat/types.ts'
import type { GatewayError } from '../errors/gateway-error.ts'
import type { ModelInfo } from '../providers/types.ts'
import type { SseEvent } from '../upstream/sse.ts'

export type Dialect = 'openai' | 'anthropic' | 'gemini'
export const DIALECTS: readonly Dialect[] = ['openai', 'anthropic', 'gemini']

export interface DecodeRequestContext {
  /** Gemini carries the model in the URL, not the body. */
  model?: string
  /** Gemini decides streaming by the URL method, not the body. */
  stream?: boolean
}

export interface EncodeResponseContext {
  /** OpenAI: the client used legacy `functions`, so the call goes out as `function_call`. */
  legacyFunctions?: boolean
}

export interface EncodeStreamContext extends EncodeResponseContext {
  /** Model name to report to the client when the upstream gave none. */
  model: string
  /** OpenAI: the client asked for `stream_options.include_usage`. */
  includeUsage: boolean
  /**
   * An estimate of the prompt's tokens, for dialects that report input tokens when the
   * stream starts (Anthropic `message_start`) when the upstream only counts at the end.
   */
  inputTokensEstimate?: number
}

export interface DialectCodec {
  readonly dialect: Dialect
  /** Client wire body (already JSON-parsed and schema-checked) → canonical. Throws a 400 GatewayError. */
  decodeRequest(body: unknown, context: DecodeRequestContext): ChatRequest
  /** Canonical → this dialect's request body (for Gemini the plain GenerateContentRequest; the model goes in the URL). Throws a 400 GatewayError for content the dialect cannot carry. */
  encodeRequest(request: ChatRequest): Record<string, unknown>
  /** Upstream non-stream body → canonical. Throws a 502 GatewayError on garbage. */
  decodeResponse(body: unknown): ChatResponse
  /** Canonical → the non-stream body a client of this dialect expects. */
  encodeResponse(response: ChatResponse, context?: EncodeResponseContext): unknown
  /** Upstream SSE events → canonical events (a state machine; throws GatewayError on upstream error events or garbage). */
  decodeStream(events: AsyncIterable<SseEvent>): AsyncIterable<ChatEvent>
  /** Canonical events → SSE frames (complete `data: …\n\n` strings, terminator included). */
  encodeStream(events: AsyncIterable<ChatEvent>, context: EncodeStreamContext): AsyncIterable<string>
  /** The model list a client of this dialect expects from its list route (`/v1/models`, `/v1beta/models`). */
  encodeModelList(models: ModelInfo[]): unknown
  /** One model as this dialect's retrieve route answers it (`/v1/models/{id}`, `/v1beta/models/{model}`). */
  encodeModel(model: ModelInfo): unknown
  /** An upstream error response of this dialect → GatewayError with status, kind and retry hint. */
  decodeError(status: number, bodyText: string, headers: Headers): GatewayError
}
