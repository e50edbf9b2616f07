// An upstream Responses object → the canonical ChatResponse (for the openai-responses-custom
// provider when its client speaks another dialect). Output items other than message,
// reasoning and function_call (built-in tool calls) are dropped: no other dialect has them.
import type { ChatResponse, FinishReason, Part } from '../../chat/types.ts'
import { badGateway } from '../../errors/gateway-error.ts'
import { isJsonObject, type JsonObject } from '../openai/json-fields.ts'
import { decodeResponsesUsage } from './usage.ts'

export function decodeResponsesResponse(body: unknown): ChatResponse {
  if (!isJsonObject(body) || !Array.isArray(body.output)) throw badGateway('upstream Responses answer has no output list')
  const parts = body.output.flatMap((item) => (isJsonObject(item) ? itemParts(item) : []))
  return {
    id: typeof body.id === 'string' ? body.id : '',
    model: typeof body.model === 'string' ? body.model : '',
    parts,
    finishReason: finishOf(body, parts.some((part) => part.type === 'tool_call')),
    usage: decodeResponsesUsage(body.usage),
  }
}

function itemParts(item: JsonObject): Part[] {
  switch (item.type) {
    case 'message':
      return (Array.isArray(item.content) ? item.content : []).flatMap((content): Part[] =>
        isJsonObject(content) && typeof content.text === 'string' ? [{ type: 'text', text: content.text }] : [],
      )
    case 'reasoning': {
      const texts = [...(Array.isArray(item.summary) ? item.summary : []), ...(Array.isArray(item.content) ? item.content : [])]
      const text = texts.map((entry) => (isJsonObject(entry) && typeof entry.text === 'string' ? entry.text : '')).join('')
      return text === '' ? [] : [{ type: 'thinking', text }]
    }
    case 'function_call':
      return [{ type: 'tool_call', id: String(item.call_id ?? ''), name: String(item.name ?? ''), arguments: parseArgs(item.arguments) }]
    default:
      return []
  }
}

/** The canonical finish reason of a finished Responses object. */
export function finishOf(response: JsonObject, calledTools: boolean): FinishReason {
  if (response.status === 'incomplete') {
    const reason = isJsonObject(response.incomplete_details) ? response.incomplete_details.reason : undefined
    return reason === 'content_filter' ? 'content_filter' : 'length'
  }
  return calledTools ? 'tool_calls' : 'stop'
}

function parseArgs(value: unknown): Record<string, unknown> {
  if (typeof value !== 'string' || value.trim() === '') return {}
  try {
    const parsed: unknown = JSON.parse(value)
    if (isJsonObject(parsed)) return parsed
  } catch {}
  throw badGateway('upstream function_call arguments are not a JSON object')
}
