// Mid-conversation system messages (see SystemMessage) for wires that cannot carry them
// in place: either folded into the system prompt (order kept, position lost) or turned
// into user text at their position (position kept, system authority lost).
import type { ChatRequest, Message, SystemMessage, TextPart } from './types.ts'

const isSystem = (message: Message | SystemMessage): message is SystemMessage => message.role === 'system'

/** The system prompt followed by every mid-conversation system text, and the other messages. */
export function foldSystemMessages(request: Pick<ChatRequest, 'system' | 'messages'>): { system: TextPart[]; messages: Message[] } {
  const system = [...request.system]
  const messages: Message[] = []
  for (const message of request.messages) {
    if (isSystem(message)) system.push(...message.parts)
    else messages.push(message)
  }
  return { system, messages }
}

/** Each mid-conversation system message becomes a user message with the same text. */
export function systemMessagesAsUserText(messages: ChatRequest['messages']): Message[] {
  return messages.map((message) => (isSystem(message) ? { role: 'user', parts: message.parts } : message))
}
