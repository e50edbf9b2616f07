// Folds a canonical event stream into one ChatResponse, for clients that did not ask to
// stream from providers that always do (Kiro, local-echo).
import { badGateway } from '../errors/gateway-error.ts'
import type { ChatEvent, ChatResponse, Part, ToolCallPart } from './types.ts'
import { parseJsonObject } from '../json/read.ts'

export async function aggregateEvents(events: AsyncIterable<ChatEvent>): Promise<ChatResponse> {
  const parts: Part[] = []
  const toolArgs = new Map<number, { part: ToolCallPart; json: string }>()
  let id = ''
  let model = ''
  let last: Part | undefined
  for await (const event of events) {
    switch (event.type) {
      case 'start':
        id = event.id
        model = event.model
        break
      case 'text':
        if (last?.type === 'text') last.text += event.text
        else parts.push((last = { type: 'text', text: event.text }))
        break
      case 'thinking':
        if (last?.type === 'thinking') last.text += event.text
        else parts.push((last = { type: 'thinking', text: event.text }))
        break
      case 'thinking_signature':
        if (last?.type === 'thinking') last.signature = (last.signature ?? '') + event.signature
        else parts.push((last = { type: 'thinking', text: '', signature: event.signature }))
        break
      case 'redacted_thinking':
        parts.push((last = { type: 'redacted_thinking', data: event.data }))
        break
      case 'tool_call_start': {
        const part: ToolCallPart = { type: 'tool_call', id: event.id, name: event.name, arguments: {} }
        if (event.signature !== undefined) part.signature = event.signature
        toolArgs.set(event.index, { part, json: '' })
        parts.push((last = part))
        break
      }
      case 'tool_call_delta': {
        const call = toolArgs.get(event.index)
        if (call) call.json += event.argumentsDelta
        break
      }
      case 'tool_call_end': {
        const call = toolArgs.get(event.index)
        if (call) call.part.arguments = parseArguments(call.json, call.part.name)
        break
      }
      case 'usage':
        break
      case 'finish':
        return {
          id,
          model,
          parts,
          finishReason: event.reason,
          usage: event.usage,
          ...(event.stopSequence === undefined ? {} : { stopSequence: event.stopSequence }),
        }
    }
  }
  throw badGateway('upstream stream ended before it finished')
}

function parseArguments(json: string, name: string): Record<string, unknown> {
  if (json.trim() === '') return {}
  const value = parseJsonObject(json)
  if (value !== undefined) return value
  throw badGateway(`upstream sent invalid JSON arguments for tool ${name}`)
}
