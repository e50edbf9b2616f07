// What an OpenAI-compatible server rejects before it generates anything (docs/protocols.md#openai-requests):
// a missing or wrong Bearer key (401), a body that is not JSON or lacks `model`/`messages` (400).
import { isRecord } from '../../../src/json/read.ts'
import type { JournalEntry } from '../shared/journal.ts'
import { maskKey, openaiErrorBody, type OpenAIErrorBody } from './errors.ts'

export interface Rejection {
  status: number
  body: OpenAIErrorBody
}

export interface ChatRequestFacts {
  model: string
  messages: unknown[]
  stream: boolean
  includeUsage: boolean
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function'])

export function checkBearer(entry: JournalEntry, apiKey: string): Rejection | undefined {
  const header = entry.headers.authorization
  if (header === undefined) {
    return {
      status: 401,
      body: openaiErrorBody('invalid_request_error', 'invalid_api_key', "You didn't provide an API key. Send it in an Authorization header using Bearer auth."),
    }
  }
  const key = header.startsWith('Bearer ') ? header.slice(7).trim() : ''
  if (key === apiKey) return undefined
  return { status: 401, body: openaiErrorBody('invalid_request_error', 'invalid_api_key', `Incorrect API key provided: ${maskKey(key)}.`) }
}

const badRequest = (message: string, param: string | null, code: string | null = null): Rejection => ({
  status: 400,
  body: openaiErrorBody('invalid_request_error', code, message, param),
})

/** Checks a chat completion body; returns the facts the fake needs or the rejection. */
export function checkChatBody(entry: JournalEntry): ChatRequestFacts | Rejection {
  const body = entry.json
  if (!isRecord(body)) {
    return badRequest('We could not parse the JSON body of your request. The API expects a JSON object.', null)
  }
  const { model, messages } = body
  if (typeof model !== 'string' || model === '') return badRequest('you must provide a model parameter', 'model')
  if (messages === undefined) return badRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter')
  if (!Array.isArray(messages)) return badRequest("Invalid type for 'messages': expected an array.", 'messages', 'invalid_type')
  if (messages.length === 0) return badRequest("Invalid 'messages': empty array. Expected an array with minimum length 1.", 'messages', 'empty_array')
  for (const [index, message] of messages.entries()) {
    if (!isRecord(message) || typeof message.role !== 'string' || !ROLES.has(message.role)) {
      return badRequest(`Invalid value for 'messages[${index}].role'.`, `messages[${index}].role`, 'invalid_value')
    }
  }
  const options = body.stream_options
  return {
    model,
    messages,
    stream: body.stream === true,
    includeUsage: body.stream === true && isRecord(options) && options.include_usage === true,
  }
}

/** The text of the last user message (string content, or its text parts joined). */
export function lastUserText(messages: unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]
    if (!isRecord(message) || message.role !== 'user') continue
    const { content } = message
    if (typeof content === 'string') return content
    if (!Array.isArray(content)) return ''
    return content
      .filter(isRecord)
      .map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
      .filter((text) => text !== '')
      .join('\n')
  }
  return ''
}
