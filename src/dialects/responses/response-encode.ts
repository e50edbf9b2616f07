// The canonical ChatResponse → the `response` object a Responses client expects: one
// reasoning item per thinking run, one message item per text run, one function_call item
// per call, in answer order. A length stop is `status: "incomplete"` with the reason.
// Losses (documented): thinking signatures and redacted thinking have no place here.
import type { ChatResponse } from '../../chat/types.ts'
import type { ResponsesCodecOptions } from './codec-options.ts'
import { functionCallItem, incompleteReason, messageItem, type OutputItem, reasoningItem, responseObject } from './output-items.ts'

export function encodeResponsesResponse(response: ChatResponse, options: ResponsesCodecOptions): Record<string, unknown> {
  const incomplete = incompleteReason(response.finishReason)
  const output: OutputItem[] = []
  let last: 'text' | 'thinking' | undefined
  for (const part of response.parts) {
    if (part.type === 'text') {
      const previous = output.at(-1)
      if (last === 'text' && previous) ((previous.content as Array<{ text: string }>)[0] as { text: string }).text += part.text
      else output.push(messageItem(options.newId('msg_'), part.text, incomplete ? 'incomplete' : 'completed'))
      last = 'text'
    } else if (part.type === 'thinking') {
      const previous = output.at(-1)
      if (last === 'thinking' && previous) ((previous.summary as Array<{ text: string }>)[0] as { text: string }).text += part.text
      else output.push(reasoningItem(options.newId('rs_'), part.text))
      last = 'thinking'
    } else if (part.type === 'tool_call') {
      output.push(functionCallItem(options.newId('fc_'), part.id, part.name, JSON.stringify(part.arguments), 'completed'))
      last = undefined
    }
  }
  const head = { id: options.newId('resp_'), createdAt: Math.floor(options.now() / 1000), model: response.model }
  return responseObject(head, incomplete ? 'incomplete' : 'completed', output, { usage: response.usage, ...(incomplete ? { incomplete } : {}) })
}
