// The canonical ChatResponse → the `chat.completion` object an OpenAI client expects.
// Losses (documented): thinking signatures, redacted thinking and output images have no
// place in a chat.completion; thinking text goes out as `reasoning_content`.
import type { ChatResponse } from '../../chat/types.ts'
import type { EncodeResponseContext } from '../types.ts'
import { completionId, unixSeconds, type OpenAICodecOptions } from './codec-options.ts'
import { encodeUsage } from './usage.ts'

export function encodeOpenAIResponse(response: ChatResponse, options: OpenAICodecOptions, context: EncodeResponseContext = {}): Record<string, unknown> {
  const texts: string[] = []
  const reasoning: string[] = []
  const toolCalls: Record<string, unknown>[] = []
  for (const part of response.parts) {
    if (part.type === 'text') texts.push(part.text)
    else if (part.type === 'thinking') reasoning.push(part.text)
    else if (part.type === 'tool_call') {
      toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: JSON.stringify(part.arguments) } })
    }
  }
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: texts.length === 0 && toolCalls.length > 0 ? null : texts.join(''),
    refusal: null,
  }
  let finishReason: string = response.finishReason
  // Legacy clients get the one call they asked for as `function_call` (parallel calls were off).
  if (context.legacyFunctions && toolCalls.length > 0) {
    message.function_call = toolCalls[0]?.function
    if (finishReason === 'tool_calls') finishReason = 'function_call'
  } else if (toolCalls.length > 0) message.tool_calls = toolCalls
  if (reasoning.length > 0) message.reasoning_content = reasoning.join('')
  return {
    id: completionId(response.id, options),
    object: 'chat.completion',
    created: unixSeconds(options),
    model: response.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage: encodeUsage(response.usage),
  }
}
