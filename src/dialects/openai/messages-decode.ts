// OpenAI `messages` → canonical system text and user/assistant messages.
// System and developer messages become the system prompt (in order); tool (and legacy
// function) messages become `tool_result` parts of one user message per run of them.
import type { ImagePart, ImageUrlPart, Message, Part, TextPart, ToolCallPart, ToolResultPart } from '../../chat/types.ts'
import { badRequest } from '../../errors/gateway-error.ts'
import { parseDataUrl } from './data-url.ts'
import { LegacyCallIds } from './legacy-functions.ts'
import { quoteInput } from '../../errors/echo.ts'
import { at, isRecord, type JsonObject, jsonReader } from '../../json/read.ts'

const read = jsonReader(badRequest)

export interface DecodedConversation {
  system: TextPart[]
  messages: Message[]
}

export function decodeMessages(items: unknown[]): DecodedConversation {
  const system: TextPart[] = []
  const messages: Message[] = []
  // Tool messages only carry the call id; Gemini needs the tool name, so remember it.
  const toolNames = new Map<string, string>()
  const legacyIds = new LegacyCallIds()
  let toolResults: Message | undefined

  items.forEach((item, i) => {
    const path = `messages[${i}]`
    const message = read.record(item, path)
    const role = read.string(message.role, at(path, 'role'))
    if (role !== 'tool' && role !== 'function') toolResults = undefined
    switch (role) {
      case 'system':
      case 'developer':
        system.push(...decodeTextContent(message.content, `${path}.content`))
        return
      case 'user':
        messages.push({ role: 'user', parts: decodeUserContent(message.content, `${path}.content`) })
        return
      case 'assistant':
        messages.push({ role: 'assistant', parts: decodeAssistant(message, path, toolNames, legacyIds) })
        return
      case 'tool':
      case 'function': {
        const part = role === 'tool' ? decodeToolMessage(message, path, toolNames) : decodeFunctionMessage(message, path, legacyIds)
        if (toolResults) toolResults.parts.push(part)
        else {
          toolResults = { role: 'user', parts: [part] }
          messages.push(toolResults)
        }
        return
      }
      default:
        throw badRequest(`${path}.role must be one of system, developer, user, assistant, tool, function (got ${quoteInput(role)})`)
    }
  })
  return { system, messages }
}

/** String or array of text parts (system, developer and tool messages). */
function decodeTextContent(content: unknown, path: string): TextPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }]
  if (!Array.isArray(content)) throw badRequest(`${path} must be a string or an array of text parts`)
  return content.map((item, j) => {
    const partPath = `${path}[${j}]`
    const part = read.record(item, partPath)
    if (part.type !== 'text') throw badRequest(`${partPath}.type must be "text"`)
    return { type: 'text', text: read.string(part.text, at(partPath, 'text')) }
  })
}

function decodeUserContent(content: unknown, path: string): Part[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }]
  if (!Array.isArray(content)) throw badRequest(`${path} must be a string or an array of content parts`)
  return content.map((item, j) => decodeUserPart(item, `${path}[${j}]`))
}

function decodeUserPart(item: unknown, path: string): TextPart | ImagePart | ImageUrlPart {
  const part = read.record(item, path)
  const type = read.string(part.type, at(path, 'type'))
  switch (type) {
    case 'text':
      return { type: 'text', text: read.string(part.text, at(path, 'text')) }
    case 'image_url':
      return decodeImage(part.image_url, `${path}.image_url`)
    case 'input_audio':
    case 'file':
      throw badRequest(`${path}.type "${type}" is not supported: switchboard converts text and image parts only`)
    default:
      throw badRequest(`${path}.type must be "text" or "image_url" (got ${quoteInput(type)})`)
  }
}

function decodeImage(value: unknown, path: string): ImagePart | ImageUrlPart {
  // Some clients send the URL string directly instead of `{url}`.
  const url = typeof value === 'string' ? value : read.string(read.record(value, path).url, at(path, 'url'))
  const urlPath = typeof value === 'string' ? path : `${path}.url`
  if (url.startsWith('data:')) {
    const parsed = parseDataUrl(url)
    if (!parsed.ok) throw badRequest(`${urlPath} ${parsed.reason}`)
    return { type: 'image', mediaType: parsed.mediaType, data: parsed.data }
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image_url', url }
  throw badRequest(`${urlPath} must be an http(s) or data: URL`)
}

function decodeAssistant(message: JsonObject, path: string, toolNames: Map<string, string>, legacyIds: LegacyCallIds): Part[] {
  const parts: Part[] = []
  const reasoning = read.optionalString(message, 'reasoning_content', path)
  if (reasoning) parts.push({ type: 'thinking', text: reasoning })
  for (const text of decodeAssistantContent(message.content, `${path}.content`)) {
    if (text !== '') parts.push({ type: 'text', text })
  }
  const calls = message.tool_calls
  if (calls !== undefined && calls !== null) {
    if (!Array.isArray(calls)) throw badRequest(`${path}.tool_calls must be an array`)
    calls.forEach((item, k) => {
      const call = decodeToolCall(item, `${path}.tool_calls[${k}]`)
      toolNames.set(call.id, call.name)
      parts.push(call)
    })
  }
  // Legacy function calling: one call, no id.
  if (message.function_call !== undefined && message.function_call !== null) {
    const fnPath = `${path}.function_call`
    const fn = read.record(message.function_call, fnPath)
    const name = read.string(fn.name, at(fnPath, 'name'))
    parts.push({ type: 'tool_call', id: legacyIds.call(name), name, arguments: functionArguments(fn, fnPath) })
  }
  return parts
}

/** Some clients send the arguments already parsed; the spec says a JSON string. */
function functionArguments(fn: JsonObject, path: string): Record<string, unknown> {
  return isRecord(fn.arguments) ? fn.arguments : parseArguments(read.string(fn.arguments, at(path, 'arguments')), `${path}.arguments`)
}

function decodeAssistantContent(content: unknown, path: string): string[] {
  if (content === undefined || content === null) return []
  if (typeof content === 'string') return [content]
  if (!Array.isArray(content)) throw badRequest(`${path} must be a string, null or an array of text parts`)
  return content.map((item, j) => {
    const partPath = `${path}[${j}]`
    const part = read.record(item, partPath)
    if (part.type === 'text') return read.string(part.text, at(partPath, 'text'))
    if (part.type === 'refusal') return read.string(part.refusal, at(partPath, 'refusal'))
    throw badRequest(`${partPath}.type must be "text" or "refusal"`)
  })
}

function decodeToolCall(item: unknown, path: string): ToolCallPart {
  const call = read.record(item, path)
  const id = read.string(call.id, at(path, 'id'))
  if (call.type !== undefined && call.type !== 'function') throw badRequest(`${path}.type must be "function"`)
  const fn = read.record(call.function, `${path}.function`)
  const name = read.string(fn.name, at(`${path}.function`, 'name'))
  return { type: 'tool_call', id, name, arguments: functionArguments(fn, `${path}.function`) }
}

function parseArguments(text: string, path: string): Record<string, unknown> {
  if (text.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw badRequest(`${path} is not valid JSON`)
  }
  if (!isRecord(parsed)) throw badRequest(`${path} must be a JSON object`)
  return parsed
}

/** A legacy `role: "function"` message: the result of the last open call of that name. */
function decodeFunctionMessage(message: JsonObject, path: string, legacyIds: LegacyCallIds): ToolResultPart {
  const name = read.string(message.name, at(path, 'name'))
  const texts = message.content === null || message.content === undefined ? [] : decodeTextContent(message.content, `${path}.content`)
  return { type: 'tool_result', toolCallId: legacyIds.result(name), name, content: texts.filter((t) => t.text !== '') }
}

function decodeToolMessage(message: JsonObject, path: string, toolNames: Map<string, string>): ToolResultPart {
  const toolCallId = read.string(message.tool_call_id, at(path, 'tool_call_id'))
  const texts = decodeTextContent(message.content, `${path}.content`)
  const name = toolNames.get(toolCallId) ?? read.optionalString(message, 'name', path)
  const part: ToolResultPart = {
    type: 'tool_result',
    toolCallId,
    // An empty result is no content at all (Anthropic rejects empty text blocks).
    content: texts.filter((t) => t.text !== ''),
  }
  if (name !== undefined) part.name = name
  return part
}
