// What the matrix suite needs from one provider and its fake: the gateway config that
// points at it, ways to script its next answer, and readers that take a request the fake
// received apart along the provider's own wire shape (so a wrong shape reads as missing).
import type { AppConfig } from '../../../../src/config/schema.ts'
import type { ProviderId } from '../../../../src/providers/types.ts'
import { isRecord } from '../../../../src/json/read.ts'
import type { Image, ToolCall } from './ask.ts'

export type Body = Record<string, unknown>

export interface ReceivedTool {
  name: string
  description?: string
  parameters: Record<string, unknown>
}

export interface ReceivedResult {
  id?: string
  name?: string
  /** The result, parsed back into an object. */
  result: unknown
}

export interface ReceivedParams {
  temperature?: number
  topP?: number
  topK?: number
  stop?: string[]
  maxTokens?: number
}

/** Readers of one native request body. */
export interface NativeReaders {
  /** System text segments in order (Kiro: the prefix of the first user message, as one segment). */
  system(body: Body): string[]
  /** User and assistant turns with their text, in order (tool-only turns included with ''). */
  turns(body: Body): Array<{ role: 'user' | 'assistant'; text: string }>
  tools(body: Body): ReceivedTool[]
  /** The assistant's tool calls in the history. */
  toolCalls(body: Body): ToolCall[]
  toolResults(body: Body): ReceivedResult[]
  params(body: Body): ReceivedParams
  images(body: Body): Image[]
  /** The tool choice, normalised: `tool:<name>`, `required`, `auto` or `none`. */
  toolChoice(body: Body): string | undefined
  /** false when the request allows at most one tool call per answer. */
  parallelToolCalls(body: Body): boolean | undefined
  /** How a JSON answer was asked for: a native field, or an instruction in the system prompt. */
  jsonMode(body: Body): 'json_object' | 'instruction' | undefined
  /** Reasoning asked for: an effort level or a token budget. */
  thinking(body: Body): { effort?: string; budget?: number } | undefined
}

export interface ScriptedCall {
  name: string
  args: Record<string, unknown>
}

export interface Upstream extends NativeReaders {
  provider: ProviderId
  /** The model clients ask for. */
  model: string
  /** Gateway config that selects this provider and points it at the fake. */
  config: Partial<AppConfig>
  /** Values that must never show up in logs (upstream keys, OAuth tokens). */
  secrets(): string[]
  /** Native bodies of every chat request the fake received, oldest first. */
  chatBodies(): Body[]
  /** What the fake answers to a lone user text (no system prompt). */
  echo(text: string): string
  /** The next chat answer reasons first, then answers `text`. */
  answerThinking(thinking: string, text: string, stream: boolean): void
  /** The next chat answer is these tool calls (in parallel). */
  answerToolCalls(calls: ScriptedCall[], stream: boolean): void
  /** Makes the next answer stop at the token limit: scripts it, or says which max tokens will. Undefined: the provider has no such stop. */
  answerLength(stream: boolean): { maxTokens?: number } | undefined
  /** The next answer is `text` stopped by the provider's content filter (only providers that report one). */
  answerFiltered?(text: string, stream: boolean): void
  /** The next chat request fails with this HTTP status (and Retry-After, when given). */
  failWithStatus(status: 400 | 429, message: string, retryAfterS: number | undefined, stream: boolean): void
  /** The next streamed answer breaks after some content. */
  failMidStream(): void
  /** max_tokens the provider receives when the client sent none (Anthropic's mandatory default). */
  defaultMaxTokens?: number
  /** Kiro has no temperature, stop sequences or max tokens: they are dropped. */
  carriesParams: boolean
  stop(): Promise<void> | void
}

/** Finds the first value of `key` anywhere in a JSON value (for asserting that a field is absent everywhere). */
export function findKey(value: unknown, key: string): unknown {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findKey(item, key)
      if (found !== undefined) return found
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [name, item] of Object.entries(value)) {
      if (name === key) return item
      const found = findKey(item, key)
      if (found !== undefined) return found
    }
  }
  return undefined
}

export const asRecord = (value: unknown): Body => (isRecord(value) ? value : {})
export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
export const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/** `data:<type>;base64,<data>` → an inline image, anything else → a URL image. */
export function imageFromUrl(url: string): Image {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url)
  return match?.[1] !== undefined && match[2] !== undefined ? { mediaType: match[1], data: match[2] } : { url }
}

export function parseJsonText(text: unknown): unknown {
  if (typeof text !== 'string') return text
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
