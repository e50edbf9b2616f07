// The contract each client/provider dialect implements: conversion between its wire
// format and the canonical chat shape (src/chat/types.ts), in both directions, plus
// everything else the gateway must know about that wire (error shapes, stream framing,
// passthrough markers), so nothing outside the dialect's folder names it.
//
// A new dialect touches: its folder src/dialects/<name>/ (the codec, assembled in its
// index.ts); one entry each in `Dialect`/DIALECTS below and CODECS (src/dialects/index.ts);
// its route group in src/http/routes.ts, which declares the group's dialect so errors before
// the handler (auth failures, 404s, validation) render in it. Nothing in src/pipeline,
// src/app.ts or src/errors changes. A provider that speaks it upstream sets `accepts` to it
// and answers with httpReply(<name>, …) (src/providers/http-reply.ts); same-dialect traffic
// then passes through byte for byte, scanned with the codec's `passthrough` markers.
import type { ChatEvent, ChatRequest, ChatResponse } from '../chat/types.ts'
import type { GatewayError } from '../errors/gateway-error.ts'
import type { ModelInfo } from '../providers/types.ts'
import type { SseEvent } from '../upstream/sse.ts'

export type Dialect = 'openai' | 'anthropic' | 'gemini' | 'responses'
export const DIALECTS: readonly Dialect[] = ['openai', 'anthropic', 'gemini', 'responses']

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

/**
 * Byte markers for passing an upstream stream of this dialect through without parsing it.
 * Chosen so answer text cannot fake them: inside JSON strings quotes are escaped, and a
 * line start (newline) only occurs between SSE lines.
 */
export interface PassthroughMarkers {
  /** Seen once the stream is complete (any one of several, when the dialect has several endings). */
  terminator: string | readonly string[]
  /** Starts the upstream's own in-stream error event, which ends the stream (any one of several). */
  errorEvent: string | readonly string[]
}

/** JSON keys of this dialect's token counts (several keys of one kind are summed) and finish reason. */
export interface UsageKeys {
  input: readonly string[]
  output: readonly string[]
  finish: string
}

/** A stream answer laid out other than as the codec's SSE frames. */
export interface StreamLayout {
  contentType: string
  /** The SSE frames of encodeStream → the body's pieces. */
  pieces(frames: AsyncIterable<string>): AsyncIterable<string>
  /** The last piece of a body that fails; `started`: a piece already went out. */
  errorPiece(error: GatewayError, started: boolean): string
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
  /** A GatewayError → the JSON error body a client of this dialect expects. */
  encodeError(error: GatewayError): unknown
  /** A GatewayError → the SSE frame that ends a stream which already started. */
  encodeStreamError(error: GatewayError): string
  /** How a same-dialect stream passed through byte for byte is known to be complete or failed. */
  readonly passthrough: PassthroughMarkers
  /** Where token counts and the finish reason sit in answers passed through unparsed (metrics, logs and traces read them). */
  readonly usageKeys: UsageKeys
  /** Reports input tokens when the stream starts, so the pipeline supplies `inputTokensEstimate`. */
  readonly announcesInputTokens?: boolean
  /** The answer of this dialect's count-tokens route; absent when the dialect has none. */
  encodeTokenCount?(tokens: number): unknown
  /** The stream layout for a client that did not ask for SSE; absent when SSE is the only one. */
  readonly nonSseStream?: StreamLayout
  /** Request headers of this dialect's clients that CORS must allow (beyond auth and content-type). */
  readonly clientHeaders: readonly string[]
  /** The client's own user or session id in a request body, for sticky sessions; absent when the dialect has none. */
  sessionKey?(body: Record<string, unknown>): string | undefined
}
