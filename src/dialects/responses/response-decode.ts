// An upstream Responses object → the canonical ChatResponse (for the openai-responses-custom
// provider when its client speaks another dialect). Output items other than message,
// reasoning and function_call (built-in tool calls) are dropped: no other dialect has them.
// The frame is checked strictly: a garbled answer is the member's failure (502), not an empty one.
import type { ChatResponse, FinishReason, Part } from '../../chat/types.ts'
import { badGateway } from '../../errors/gateway-error.ts'
import { isRecord, type JsonObject, parseJsonObject } from '../../json/read.ts'
import { decodeResponsesUsage } from './usage.ts'

const FINISHED = new Set(['completed', 'incomplete'])

export function decodeResponsesResponse(body: unknown): ChatResponse {
  if (!isRecord(body) || !Array.isArray(body.output)) throw badGateway('upstream Responses answer has no output list')
  if (typeof body.id !== 'string' || typeof body.model !== 'string') throw badGateway('upstream Responses answer lacks its id or model')
  if (typeof body.status !== 'string' || !FINISHED.has(body.status))
    throw badGateway(`upstream Responses answer is not finished (status ${String(body.status)})`)
  if (body.usage !== undefined && body.usage !== null && !isRecord(body.usage)) throw badGateway('upstream Responses usage is not an object')
  const parts = body.output.flatMap(itemParts)
  return {
    id: body.id,
    model: body.model,
    parts,
    finishReason: finishOf(
      body,
      parts.some((part) => part.type === 'tool_call'),
    ),
    usage: decodeResponsesUsage(body.usage),
  }
}

function itemParts(item: unknown): Part[] {
  if (!isRecord(item) || typeof item.type !== 'string') throw badGateway('upstream Responses output item has no type')
  switch (item.type) {
    case 'message':
      return listOf(item.content, 'message content').flatMap((content): Part[] => {
        if (!isRecord(content) || typeof content.type !== 'string') throw badGateway('upstream Responses message content part has no type')
        if (content.type === 'output_text') return [{ type: 'text', text: stringOf(content.text, 'output_text text') }]
        if (content.type === 'refusal') return [{ type: 'text', text: stringOf(content.refusal, 'refusal text') }]
        return []
      })
    case 'reasoning': {
      const entries = [...listOf(item.summary ?? [], 'reasoning summary'), ...listOf(item.content ?? [], 'reasoning content')]
      const text = entries.map((entry) => (isRecord(entry) ? stringOf(entry.text, 'reasoning text') : '')).join('')
      return text === '' ? [] : [{ type: 'thinking', text }]
    }
    case 'function_call':
      return [
        {
          type: 'tool_call',
          id: stringOf(item.call_id, 'function_call call_id'),
          name: stringOf(item.name, 'function_call name'),
          arguments: parseArgs(item.arguments),
        },
      ]
    default:
      return []
  }
}

/** The canonical finish reason of a finished Responses object. */
export function finishOf(response: JsonObject, calledTools: boolean): FinishReason {
  if (response.status === 'incomplete') {
    const reason = isRecord(response.incomplete_details) ? response.incomplete_details.reason : undefined
    return reason === 'content_filter' ? 'content_filter' : 'length'
  }
  return calledTools ? 'tool_calls' : 'stop'
}

function listOf(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw badGateway(`upstream Responses ${what} is not a list`)
  return value
}

function stringOf(value: unknown, what: string): string {
  if (typeof value !== 'string') throw badGateway(`upstream Responses ${what} is not a string`)
  return value
}

function parseArgs(value: unknown): Record<string, unknown> {
  const text = stringOf(value, 'function_call arguments')
  if (text.trim() === '') return {}
  const parsed = parseJsonObject(text)
  if (!parsed) throw badGateway('upstream Responses function_call arguments are not a JSON object')
  return parsed
}
