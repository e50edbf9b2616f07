// The canonical ChatRequest → a Responses API request body (for the openai-responses-custom
// provider when its client speaks another dialect). Nothing is stored upstream (`store:
// false`): the conversation travels whole each time, as the client sent it.
// Losses (documented): thinking from earlier turns, stop sequences, top_k, seed and penalties.
import type { ChatRequest, Message, SystemMessage, ToolChoice } from '../../chat/types.ts'
import { compact } from '../openai/compact.ts'
import { formatDataUrl } from '../openai/data-url.ts'

type Item = Record<string, unknown>

export function encodeResponsesRequest(request: ChatRequest): Record<string, unknown> {
  // The first system block is the instructions; further ones open the input, in order.
  const [instructions, ...more] = request.system
  const format = request.responseFormat
  return compact({
    model: request.model,
    instructions: instructions?.text,
    input: [...more.map((part) => ({ role: 'developer', content: part.text })), ...request.messages.flatMap(encodeMessage)],
    tools: request.tools?.map((tool) => compact({ type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters })),
    tool_choice: request.toolChoice ? encodeToolChoice(request.toolChoice) : undefined,
    parallel_tool_calls: request.parallelToolCalls,
    max_output_tokens: request.maxTokens,
    temperature: request.temperature,
    top_p: request.topP,
    text: format ? { format: format.type === 'json_schema' ? compact({ ...format, name: format.name ?? 'response' }) : { type: format.type } } : undefined,
    reasoning: request.thinking ? { effort: request.thinking.enabled ? (request.thinking.effort ?? 'medium') : 'none' } : undefined,
    stream: request.stream,
    store: false,
    user: request.user,
  })
}

function encodeToolChoice(choice: ToolChoice): unknown {
  return choice.type === 'tool' ? { type: 'function', name: choice.name } : choice.type
}

function encodeMessage(message: Message | SystemMessage): Item[] {
  if (message.role === 'system') return [{ role: 'developer', content: message.parts.map((part) => ({ type: 'input_text', text: part.text })) }]
  const items: Item[] = []
  let content: Item[] = []
  const flush = () => {
    if (content.length > 0) items.push({ type: 'message', role: message.role, content })
    content = []
  }
  const textType = message.role === 'assistant' ? 'output_text' : 'input_text'
  for (const part of message.parts) {
    switch (part.type) {
      case 'text':
        content.push({ type: textType, text: part.text })
        break
      case 'image':
        content.push({ type: 'input_image', image_url: formatDataUrl(part.mediaType, part.data) })
        break
      case 'image_url':
        content.push({ type: 'input_image', image_url: part.url })
        break
      case 'tool_call':
        flush()
        items.push({ type: 'function_call', call_id: part.id, name: part.name, arguments: JSON.stringify(part.arguments) })
        break
      case 'tool_result':
        flush()
        items.push({
          type: 'function_call_output',
          call_id: part.toolCallId,
          output: part.content.map((piece) =>
            piece.type === 'text' ? { type: 'input_text', text: piece.text } : { type: 'input_image', image_url: formatDataUrl(piece.mediaType, piece.data) },
          ),
        })
        break
    }
  }
  flush()
  return items
}
