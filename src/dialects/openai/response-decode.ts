// An upstream `chat.completion` body → the canonical ChatResponse. Anything that is not a
// completion is the upstream's fault: a 502 naming what was wrong.
import type { ChatResponse, Part, ToolCallPart } from '../../chat/types.ts'
import { badGateway } from '../../errors/gateway-error.ts'
import type { OpenAICodecOptions } from './codec-options.ts'
import { decodeInBandError } from './error.ts'
import { decodeFinishReason } from './finish-reason.ts'
import { decodeUsage, zeroUsage } from './usage.ts'
import { isRecord } from '../../json/read.ts'

export function decodeOpenAIResponse(body: unknown, options: OpenAICodecOptions): ChatResponse {
  if (!isRecord(body)) throw badGateway('upstream answer is not a JSON object')
  if (isRecord(body.error)) throw decodeInBandError(body)
  const choices = body.choices
  if (!Array.isArray(choices) || choices.length === 0) throw badGateway('upstream answer has no choices')
  const choice = choices[0]
  if (!isRecord(choice) || !isRecord(choice.message)) throw badGateway('upstream answer has no choices[0].message')
  const message = choice.message

  const parts: Part[] = []
  const reasoning = firstString(message.reasoning_content, message.reasoning)
  if (reasoning) parts.push({ type: 'thinking', text: reasoning })
  const text = contentText(message.content) || firstString(message.refusal)
  if (text) parts.push({ type: 'text', text })
  const calls = decodeToolCalls(message.tool_calls, options)
  parts.push(...calls)

  const response: ChatResponse = {
    id: typeof body.id === 'string' && body.id !== '' ? body.id : options.newId('chatcmpl-'),
    model: typeof body.model === 'string' ? body.model : '',
    parts,
    finishReason: decodeFinishReason(choice.finish_reason, calls.length > 0),
    usage: decodeUsage(body.usage) ?? zeroUsage(),
  }
  // vLLM names the matched stop string here; OpenAI itself does not say.
  if (typeof choice.stop_reason === 'string') response.stopSequence = choice.stop_reason
  return response
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === 'string' && value !== '')
}

/** A string, or (from some compatible servers) an array of text parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content.map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('')
}

function decodeToolCalls(value: unknown, options: OpenAICodecOptions): ToolCallPart[] {
  if (!Array.isArray(value)) return []
  return value.map((item, i) => {
    const path = `choices[0].message.tool_calls[${i}]`
    if (!isRecord(item) || !isRecord(item.function)) throw badGateway(`upstream answer has a malformed ${path}`)
    const fn = item.function
    if (typeof fn.name !== 'string' || fn.name === '') throw badGateway(`upstream answer has no ${path}.function.name`)
    return {
      type: 'tool_call',
      id: typeof item.id === 'string' && item.id !== '' ? item.id : options.newId('call_'),
      name: fn.name,
      arguments: parseArguments(fn.arguments, `${path}.function.arguments`),
    }
  })
}

function parseArguments(value: unknown, path: string): Record<string, unknown> {
  if (isRecord(value)) return value
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return {}
  if (typeof value !== 'string') throw badGateway(`upstream answer has a non-string ${path}`)
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch (error) {
    throw badGateway(`upstream answer has ${path} that is not valid JSON`, { cause: error })
  }
  if (!isRecord(parsed)) throw badGateway(`upstream answer has ${path} that is not a JSON object`)
  return parsed
}
