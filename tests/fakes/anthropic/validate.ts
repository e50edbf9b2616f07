// What the Messages API rejects before it generates anything (docs/protocols.md#anthropic-requests):
// a missing or wrong API key (401), a missing anthropic-version (400), a body without
// model/max_tokens/messages, or messages that do not alternate starting with a user turn (400).
import { isRecord } from '../../../src/json/read.ts'
import type { JournalEntry } from '../shared/journal.ts'
import { estimateTokens } from '../shared/text-pieces.ts'

export interface Rejection {
  status: number
  type: string
  message: string
}

export interface MessagesRequestFacts {
  model: string
  messages: Record<string, unknown>[]
  stream: boolean
  inputTokens: number
}

// 2026-10-21 is what @anthropic-ai/sdk 1.x sends; gateways send 2023-06-01.
const VERSIONS = new Set(['2023-01-01', '2023-06-01', '2026-10-21'])

const invalid = (message: string): Rejection => ({ status: 400, type: 'invalid_request_error', message })

/** The key from `x-api-key`, or from `Authorization: Bearer` (how @anthropic-ai/sdk 1.x sends it). */
function presentedKey(entry: JournalEntry): string | undefined {
  const key = entry.headers['x-api-key']
  if (key !== undefined) return key
  const authorization = entry.headers.authorization
  return authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined
}

/** Checks the headers every route needs. */
export function checkHeaders(entry: JournalEntry, apiKey: string): Rejection | undefined {
  const key = presentedKey(entry)
  if (key === undefined) return { status: 401, type: 'authentication_error', message: 'x-api-key header is required' }
  if (key !== apiKey) return { status: 401, type: 'authentication_error', message: 'invalid x-api-key' }
  const version = entry.headers['anthropic-version']
  if (version === undefined) return invalid('anthropic-version: header is required')
  if (!VERSIONS.has(version)) return invalid(`anthropic-version: invalid version "${version}"`)
  return undefined
}

/** The beta under which the API takes `system` messages between turns (Claude Code sends it). */
const MID_CONVERSATION_SYSTEM = 'mid-conversation-system-2026-04-07'

function checkMessages(messages: unknown, systemInPlace: boolean): Record<string, unknown>[] | Rejection {
  if (messages === undefined) return invalid('messages: Field required')
  if (!Array.isArray(messages)) return invalid('messages: Input should be a valid list')
  if (messages.length === 0) return invalid('messages: at least one message is required')
  let previous: string | undefined
  const checked: Record<string, unknown>[] = []
  for (const [index, message] of messages.entries()) {
    if (!isRecord(message)) return invalid(`messages.${index}: Input should be a valid dictionary`)
    const { role, content } = message
    if (role === 'system' && systemInPlace && index > 0) {
      if (typeof content !== 'string' && !Array.isArray(content)) return invalid(`messages.${index}.content: Input should be a valid string or list`)
      continue
    }
    if (role !== 'user' && role !== 'assistant') return invalid(`messages.${index}.role: Input should be 'user' or 'assistant'`)
    if (index === 0 && role !== 'user') return invalid('messages: first message must use the "user" role')
    if (role === previous) {
      return invalid(`messages: roles must alternate between "user" and "assistant", but found multiple "${role}" roles in a row`)
    }
    if (content === undefined) return invalid(`messages.${index}.content: Field required`)
    if (typeof content !== 'string' && !Array.isArray(content)) return invalid(`messages.${index}.content: Input should be a valid string or list`)
    previous = role
    checked.push(message)
  }
  return checked
}

/** Checks a messages (or count_tokens, without max_tokens) body. */
export function checkMessagesBody(entry: JournalEntry, needsMaxTokens: boolean): MessagesRequestFacts | Rejection {
  const body = entry.json
  if (!isRecord(body)) return invalid('There was an issue with your JSON body: expected a JSON object.')
  const { model, max_tokens: maxTokens } = body
  if (model === undefined) return invalid('model: Field required')
  if (typeof model !== 'string' || model === '') return invalid('model: Input should be a valid string')
  if (needsMaxTokens) {
    if (maxTokens === undefined) return invalid('max_tokens: Field required')
    if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens)) return invalid('max_tokens: Input should be a valid integer')
    if (maxTokens < 1) return invalid('max_tokens: Input should be greater than or equal to 1')
  }
  const betas = (entry.headers['anthropic-beta'] ?? '').split(',').map((beta) => beta.trim())
  const messages = checkMessages(body.messages, betas.includes(MID_CONVERSATION_SYSTEM))
  if (!Array.isArray(messages)) return messages
  const prompt = JSON.stringify([body.system ?? null, messages, body.tools ?? null])
  return { model, messages, stream: body.stream === true, inputTokens: Math.max(1, estimateTokens(prompt.length)) }
}

/** The text of the last user turn: string content, or its text blocks joined. */
export function lastUserText(messages: Record<string, unknown>[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]
    if (message?.role !== 'user') continue
    const { content } = message
    if (typeof content === 'string') return content
    if (!Array.isArray(content)) return ''
    return content
      .filter(isRecord)
      .map((block) => (block.type === 'text' && typeof block.text === 'string' ? block.text : ''))
      .filter((text) => text !== '')
      .join('\n')
  }
  return ''
}
