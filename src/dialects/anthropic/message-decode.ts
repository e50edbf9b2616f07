// Anthropic `messages[]` content blocks → canonical messages and parts. Every shape
// problem is a 400 naming the field path.
import type { ImagePart, ImageUrlPart, Message, Part, SystemMessage, TextPart, ToolResultPart } from '../../chat/types.ts'
import { badRequest } from '../../errors/gateway-error.ts'
import { quoteInput } from '../../errors/echo.ts'
import { jsonReader } from '../../json/read.ts'

const read = jsonReader(badRequest)

const SUPPORTED_BLOCKS = 'text, image, tool_use, tool_result, thinking, redacted_thinking'

/** Tool names by tool_use id, so a tool_result can carry the name (Gemini needs it). */
type ToolNames = Map<string, string>

export function decodeMessages(value: unknown): Array<Message | SystemMessage> {
  const toolNames: ToolNames = new Map()
  return read.array(value, 'messages').map((item, i) => {
    const path = `messages[${i}]`
    const message = read.record(item, path)
    const role = message.role
    // Claude Code sends system messages between turns (beta mid-conversation-system): kept in place.
    if (role === 'system') return { role, parts: decodeSystemText(message.content, `${path}.content`) }
    if (role !== 'user' && role !== 'assistant') throw badRequest(`${path}.role must be "user", "assistant" or "system", got ${quoteInput(role)}`)
    return { role, parts: decodeContent(message.content, `${path}.content`, toolNames) }
  })
}

/** A system prompt, top-level or mid-conversation: a string or an array of text blocks. */
export function decodeSystemText(value: unknown, path: string): TextPart[] {
  if (value === undefined || value === null || value === '') return []
  if (typeof value === 'string') return [{ type: 'text', text: value }]
  if (!Array.isArray(value)) throw badRequest(`${path} must be a string or an array of text blocks`)
  return value.map((item, i) => {
    const blockPath = `${path}[${i}]`
    const block = read.record(item, blockPath)
    if (block.type !== 'text') throw badRequest(`${blockPath}.type must be "text" (system blocks are text only)`)
    return { type: 'text', text: read.string(block.text, `${blockPath}.text`) }
  })
}

function decodeContent(value: unknown, path: string, toolNames: ToolNames): Part[] {
  if (typeof value === 'string') return [{ type: 'text', text: value }]
  if (!Array.isArray(value)) throw badRequest(`${path} must be a string or an array of content blocks`)
  return value.map((block, j) => decodeBlock(block, `${path}[${j}]`, toolNames))
}

function decodeBlock(value: unknown, path: string, toolNames: ToolNames): Part {
  const block = read.record(value, path)
  const type = read.string(block.type, `${path}.type`)
  switch (type) {
    case 'text':
      return { type: 'text', text: read.string(block.text, `${path}.text`) }
    case 'image':
      return decodeImage(block, path)
    case 'tool_use': {
      const id = read.string(block.id, `${path}.id`)
      const name = read.string(block.name, `${path}.name`)
      toolNames.set(id, name)
      return { type: 'tool_call', id, name, arguments: read.record(block.input, `${path}.input`) }
    }
    case 'tool_result':
      return decodeToolResult(block, path, toolNames)
    case 'thinking': {
      const text = read.string(block.thinking, `${path}.thinking`)
      const signature = read.optional(block.signature, `${path}.signature`, read.string)
      return signature ? { type: 'thinking', text, signature } : { type: 'thinking', text }
    }
    case 'redacted_thinking':
      return { type: 'redacted_thinking', data: read.string(block.data, `${path}.data`) }
    case 'document':
      throw badRequest(`${path}: document blocks are not supported by this gateway; send the document's text or page images instead`)
    default:
      throw badRequest(`${path}.type "${type}" is not supported (supported: ${SUPPORTED_BLOCKS})`)
  }
}

function decodeImage(block: Record<string, unknown>, path: string): ImagePart | ImageUrlPart {
  const source = read.record(block.source, `${path}.source`)
  const kind = read.string(source.type, `${path}.source.type`)
  if (kind === 'base64') {
    return {
      type: 'image',
      mediaType: read.string(source.media_type, `${path}.source.media_type`),
      data: read.string(source.data, `${path}.source.data`),
    }
  }
  if (kind === 'url') return { type: 'image_url', url: read.string(source.url, `${path}.source.url`) }
  throw badRequest(`${path}.source.type "${kind}" is not supported (use "base64" or "url")`)
}

function decodeToolResult(block: Record<string, unknown>, path: string, toolNames: ToolNames): ToolResultPart {
  const toolCallId = read.string(block.tool_use_id, `${path}.tool_use_id`)
  const part: ToolResultPart = { type: 'tool_result', toolCallId, content: decodeToolResultContent(block.content, `${path}.content`) }
  const name = toolNames.get(toolCallId)
  if (name !== undefined) part.name = name
  const isError = read.optional(block.is_error, `${path}.is_error`, read.boolean)
  if (isError !== undefined) part.isError = isError
  return part
}

function decodeToolResultContent(value: unknown, path: string): Array<TextPart | ImagePart> {
  if (value === undefined || value === null) return []
  if (typeof value === 'string') return [{ type: 'text', text: value }]
  if (!Array.isArray(value)) throw badRequest(`${path} must be a string or an array of text and image blocks`)
  return value.map((item, k) => {
    const blockPath = `${path}[${k}]`
    const block = read.record(item, blockPath)
    const type = read.string(block.type, `${blockPath}.type`)
    if (type === 'text') return { type: 'text', text: read.string(block.text, `${blockPath}.text`) }
    if (type === 'image') {
      const image = decodeImage(block, blockPath)
      if (image.type === 'image') return image
      throw badRequest(`${blockPath}: image URLs inside tool_result are not supported; send the image as base64`)
    }
    throw badRequest(`${blockPath}.type "${type}" is not supported inside tool_result (supported: text, image)`)
  })
}
