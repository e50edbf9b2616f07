// The text of the conversation's last user turn (what local-echo answers, what the
// prompt log records).
import type { ChatRequest } from './types.ts'

export function lastUserText(request: ChatRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const message = request.messages[i]
    if (message?.role !== 'user') continue
    const text = message.parts
      .map((part) => {
        if (part.type === 'text') return part.text
        if (part.type === 'tool_result') return part.content.map((item) => (item.type === 'text' ? item.text : '')).join('')
        return ''
      })
      .join('')
    if (text) return text
  }
  return ''
}
