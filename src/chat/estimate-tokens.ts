// A documented estimate of token counts for providers that do not count (local-echo,
// Kiro, count_tokens without an upstream counter): about 4 characters per token, the usual
// rule of thumb for English text with BPE tokenizers; never 0 for non-empty input.
import type { ChatRequest, Part } from './types.ts'

export function estimateTextTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4))
}

function partText(part: Part): string {
  switch (part.type) {
    case 'text':
    case 'thinking':
      return part.text
    case 'tool_call':
      return part.name + JSON.stringify(part.arguments)
    case 'tool_result':
      return part.content.map((item) => (item.type === 'text' ? item.text : '')).join('')
    default:
      return ''
  }
}

/** Images count as a flat 258 tokens each (Gemini's per-image figure; the others are similar in size). */
const IMAGE_TOKENS = 258

export function estimateRequestTokens(request: ChatRequest): number {
  let chars = request.system.reduce((sum, part) => sum + part.text.length, 0)
  let images = 0
  for (const message of request.messages) {
    for (const part of message.parts) {
      chars += partText(part).length
      if (part.type === 'image' || part.type === 'image_url') images++
    }
  }
  for (const tool of request.tools ?? []) chars += tool.name.length + (tool.description?.length ?? 0) + JSON.stringify(tool.parameters).length
  return Math.max(1, Math.ceil(chars / 4)) + images * IMAGE_TOKENS
}
