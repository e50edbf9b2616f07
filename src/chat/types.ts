// The canonical chat shape every dialect converts to and from. Modelled on content
// blocks (the richest of the three dialects) so tools and thinking survive any pair.

export type JsonSchema = Record<string, unknown>

export type TextPart = { type: 'text'; text: string }
/** Inline image, base64 without the `data:` prefix. */
export type ImagePart = { type: 'image'; mediaType: string; data: string }
/** Image by reference; targets that cannot fetch URLs reject it with a 400. */
export type ImageUrlPart = { type: 'image_url'; url: string; mediaType?: string }
/** A tool call made by the assistant. `arguments` is the parsed JSON object. */
export type ToolCallPart = { type: 'tool_call'; id: string; name: string; arguments: Record<string, unknown>; signature?: string }
/** The result of a tool call, sent back by the user side. */
export type ToolResultPart = {
  type: 'tool_result'
  toolCallId: string
  /** Name of the tool that was called; Gemini needs it, the others only carry the id. */
  name?: string
  content: Array<TextPart | ImagePart>
  isError?: boolean
}
export type ThinkingPart = { type: 'thinking'; text: string; signature?: string }
export type RedactedThinkingPart = { type: 'redacted_thinking'; data: string }

export type Part = TextPart | ImagePart | ImageUrlPart | ToolCallPart | ToolResultPart | ThinkingPart | RedactedThinkingPart

/** Tool results travel in `user` messages, as in Anthropic's shape. */
export interface Message {
  role: 'user' | 'assistant'
  parts: Part[]
}

/**
 * A system instruction given mid-conversation (Claude Code sends these), kept at its
 * position. Encoders whose wire has no such thing fold it (see `foldSystemMessages`).
 */
export interface SystemMessage {
  role: 'system'
  parts: TextPart[]
}

export interface ToolDef {
  name: string
  description?: string
  parameters: JsonSchema
}

export type ToolChoice = { type: 'auto' } | { type: 'none' } | { type: 'required' } | { type: 'tool'; name: string }

export type ResponseFormat = { type: 'text' } | { type: 'json_object' } | { type: 'json_schema'; name?: string; schema: JsonSchema; strict?: boolean }

export interface ThinkingConfig {
  enabled: boolean
  budgetTokens?: number
  effort?: 'low' | 'medium' | 'high'
}

export interface ChatRequest {
  model: string
  /** System prompt as text blocks, in order. */
  system: TextPart[]
  messages: Array<Message | SystemMessage>
  tools?: ToolDef[]
  toolChoice?: ToolChoice
  parallelToolCalls?: boolean
  maxTokens?: number
  temperature?: number
  topP?: number
  topK?: number
  stop?: string[]
  seed?: number
  presencePenalty?: number
  frequencyPenalty?: number
  responseFormat?: ResponseFormat
  thinking?: ThinkingConfig
  stream: boolean
  /** OpenAI `stream_options.include_usage`: the client wants a usage chunk. */
  includeUsage?: boolean
  /** End-user / session identifier (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string
  /** The OpenAI client used legacy `functions`: it expects `function_call` in the answer. */
  legacyFunctions?: boolean
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter'

export interface Usage {
  inputTokens: number
  outputTokens: number
  cachedInputTokens?: number
  reasoningTokens?: number
}

export interface ChatResponse {
  id: string
  model: string
  /** Assistant output in order: text, thinking, tool calls. */
  parts: Part[]
  finishReason: FinishReason
  /** Which stop sequence ended the answer, when the upstream says. */
  stopSequence?: string
  usage: Usage
}

/**
 * One stream = `start`, then any content events, then exactly one `finish`.
 * Failures are thrown by the iterator (a GatewayError), never yielded.
 * `tool_call_*` events carry the call's ordinal among the answer's tool calls; deltas of
 * different calls may interleave (OpenAI allows it), so encoders that need sequential
 * blocks buffer.
 */
export type ChatEvent =
  | { type: 'start'; id: string; model: string; usage?: Partial<Usage> }
  | { type: 'text'; text: string }
  | { type: 'thinking'; text: string }
  | { type: 'thinking_signature'; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'tool_call_start'; index: number; id: string; name: string; signature?: string }
  | { type: 'tool_call_delta'; index: number; argumentsDelta: string }
  | { type: 'tool_call_end'; index: number }
  | { type: 'usage'; usage: Partial<Usage> }
  | { type: 'finish'; reason: FinishReason; stopSequence?: string; usage: Usage }
