// Canonical system text and messages → OpenAI `messages` (mid-conversation system
// messages stay system messages, in place).
// Losses (documented): thinking signatures and redacted thinking are dropped (thinking text
// survives as `reasoning_content`); tool results lose `isError`; images returned by a tool
// travel in a user message right after the tool messages, since tool messages carry text only.
import type { ChatRequest, ImagePart, ImageUrlPart, Message, Part } from '../../chat/types.ts'
import { badRequest } from '../../errors/gateway-error.ts'
import { formatDataUrl } from './data-url.ts'

type WireMessage = Record<string, unknown>
type WireContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } }

export function encodeMessages(request: Pick<ChatRequest, 'system' | 'messages'>): WireMessage[] {
  const out: WireMessage[] = request.system.map((part) => ({ role: 'system', content: part.text }))
  request.messages.forEach((message, i) => {
    if (message.role === 'system') out.push({ role: 'system', content: message.parts.map((part) => part.text).join('\n') })
    else if (message.role === 'assistant') out.push(encodeAssistant(message, i))
    else out.push(...encodeUser(message, i))
  })
  return out
}

function encodeAssistant(message: Message, i: number): WireMessage {
  const texts: string[] = []
  const reasoning: string[] = []
  const toolCalls: WireMessage[] = []
  for (const part of message.parts) {
    switch (part.type) {
      case 'text':
        texts.push(part.text)
        break
      case 'thinking':
        reasoning.push(part.text)
        break
      case 'redacted_thinking':
        break
      case 'tool_call':
        toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: JSON.stringify(part.arguments) } })
        break
      default:
        throw badRequest(`messages[${i}]: an assistant message cannot carry a ${part.type} part`)
    }
  }
  const wire: WireMessage = {
    role: 'assistant',
    // OpenAI wants null, not "", when the assistant only called tools.
    content: texts.length === 0 && toolCalls.length > 0 ? null : texts.join(''),
  }
  if (toolCalls.length > 0) wire.tool_calls = toolCalls
  if (reasoning.length > 0) wire.reasoning_content = reasoning.join('')
  return wire
}

/** Tool results first (they must follow the assistant's tool calls), then the user's own content. */
function encodeUser(message: Message, i: number): WireMessage[] {
  const toolMessages: WireMessage[] = []
  const toolImages: WireContentPart[] = []
  const own: WireContentPart[] = []
  for (const part of message.parts) {
    if (part.type === 'tool_result') {
      const texts: string[] = []
      for (const item of part.content) {
        if (item.type === 'text') texts.push(item.text)
        else toolImages.push(encodeImage(item))
      }
      toolMessages.push({ role: 'tool', tool_call_id: part.toolCallId, content: texts.join('\n') })
    } else {
      own.push(encodeUserPart(part, i))
    }
  }
  const out: WireMessage[] = [...toolMessages]
  if (toolImages.length > 0) out.push({ role: 'user', content: toolImages })
  if (own.length > 0 || toolMessages.length === 0) out.push({ role: 'user', content: userContent(own) })
  return out
}

function userContent(parts: WireContentPart[]): string | WireContentPart[] {
  const only = parts[0]
  if (parts.length === 0) return ''
  return parts.length === 1 && only?.type === 'text' ? only.text : parts
}

function encodeUserPart(part: Part, i: number): WireContentPart {
  switch (part.type) {
    case 'text':
      return { type: 'text', text: part.text }
    case 'image':
    case 'image_url':
      return encodeImage(part)
    default:
      throw badRequest(`messages[${i}]: a user message cannot carry a ${part.type} part`)
  }
}

function encodeImage(part: ImagePart | ImageUrlPart): WireContentPart {
  const url = part.type === 'image' ? formatDataUrl(part.mediaType, part.data) : part.url
  return { type: 'image_url', image_url: { url } }
}
