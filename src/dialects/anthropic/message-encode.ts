// Canonical messages → Anthropic `messages[]`. Anthropic needs strictly alternating
// roles, tool results at the start of their user turn, signed thinking only, and no empty
// text blocks; this file enforces all four.
import type { ImagePart, Message, Part, TextPart } from '../../chat/types.ts'
import { upstreamToolUseId } from './ids.ts'

export type ContentBlock = Record<string, unknown>

export interface AnthropicMessage {
  role: 'user' | 'assistant'
  content: string | ContentBlock[]
}

/** A lone text block travels as a plain string, the shape most clients send. */
export function compactContent(blocks: ContentBlock[]): string | ContentBlock[] {
  const [only] = blocks
  return blocks.length === 1 && only?.type === 'text' && typeof only.text === 'string' ? only.text : blocks
}

export function encodeMessages(messages: Message[]): AnthropicMessage[] {
  const turns: Array<{ role: Message['role']; blocks: ContentBlock[] }> = []
  for (const message of messages) {
    const blocks = message.parts.flatMap((part) => encodePart(part, message.role))
    if (blocks.length === 0) continue
    const last = turns.at(-1)
    if (last?.role === message.role) last.blocks.push(...blocks)
    else turns.push({ role: message.role, blocks })
  }
  return turns.map(({ role, blocks }) => ({ role, content: compactContent(role === 'user' ? toolResultsFirst(blocks) : blocks) }))
}

function toolResultsFirst(blocks: ContentBlock[]): ContentBlock[] {
  const results = blocks.filter((block) => block.type === 'tool_result')
  return results.length === 0 ? blocks : [...results, ...blocks.filter((block) => block.type !== 'tool_result')]
}

function encodePart(part: Part, role: Message['role']): ContentBlock[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ type: 'text', text: part.text }]
    case 'image':
      return [encodeImage(part)]
    case 'image_url':
      return [{ type: 'image', source: { type: 'url', url: part.url } }]
    case 'tool_call':
      return [{ type: 'tool_use', id: upstreamToolUseId(part.id), name: part.name, input: part.arguments }]
    case 'tool_result': {
      const block: ContentBlock = { type: 'tool_result', tool_use_id: upstreamToolUseId(part.toolCallId) }
      if (part.content.length > 0) block.content = compactContent(part.content.map(encodeToolResultContent))
      if (part.isError !== undefined) block.is_error = part.isError
      return [block]
    }
    case 'thinking':
      // Anthropic rejects thinking it did not sign (e.g. another provider's reasoning).
      return role === 'assistant' && part.signature ? [{ type: 'thinking', thinking: part.text, signature: part.signature }] : []
    case 'redacted_thinking':
      return role === 'assistant' ? [{ type: 'redacted_thinking', data: part.data }] : []
  }
}

function encodeImage(part: ImagePart): ContentBlock {
  return { type: 'image', source: { type: 'base64', media_type: part.mediaType, data: part.data } }
}

function encodeToolResultContent(part: TextPart | ImagePart): ContentBlock {
  return part.type === 'text' ? { type: 'text', text: part.text } : encodeImage(part)
}
