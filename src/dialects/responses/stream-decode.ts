// Upstream Responses stream events → canonical ChatEvents (a state machine keyed by the
// events' `type`). Function calls get ordinals in the order their items are added;
// `response.failed` and `error` events end the stream with a GatewayError.
import type { ChatEvent } from '../../chat/types.ts'
import { badGateway, GatewayError } from '../../errors/gateway-error.ts'
import type { SseEvent } from '../../upstream/sse.ts'
import { isRecord, type JsonObject, parseJsonObject } from '../../json/read.ts'
import { finishOf } from './response-decode.ts'
import { decodeResponsesUsage } from './usage.ts'

export async function* decodeResponsesStream(events: AsyncIterable<SseEvent>): AsyncGenerator<ChatEvent> {
  let started = false
  /** Function-call item id → its ordinal, and whether argument deltas were seen. */
  const calls = new Map<string, { ordinal: number; streamed: boolean }>()
  for await (const sse of events) {
    const event = parse(sse.data)
    const type = event.type
    if (!started && type !== 'error') {
      started = true
      const response = isRecord(event.response) ? event.response : {}
      yield { type: 'start', id: String(response.id ?? ''), model: String(response.model ?? '') }
    }
    switch (type) {
      case 'response.output_text.delta':
        yield { type: 'text', text: String(event.delta ?? '') }
        break
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        yield { type: 'thinking', text: String(event.delta ?? '') }
        break
      case 'response.output_item.added': {
        const item = isRecord(event.item) ? event.item : {}
        if (item.type !== 'function_call') break
        calls.set(String(item.id ?? ''), { ordinal: calls.size, streamed: false })
        yield { type: 'tool_call_start', index: calls.size - 1, id: String(item.call_id ?? ''), name: String(item.name ?? '') }
        break
      }
      case 'response.function_call_arguments.delta': {
        const call = calls.get(String(event.item_id ?? ''))
        if (!call) break
        call.streamed = true
        yield { type: 'tool_call_delta', index: call.ordinal, argumentsDelta: String(event.delta ?? '') }
        break
      }
      case 'response.output_item.done': {
        const item = isRecord(event.item) ? event.item : {}
        const call = calls.get(String(item.id ?? ''))
        if (!call) break
        if (!call.streamed && typeof item.arguments === 'string' && item.arguments !== '')
          yield { type: 'tool_call_delta', index: call.ordinal, argumentsDelta: item.arguments }
        yield { type: 'tool_call_end', index: call.ordinal }
        break
      }
      case 'response.completed':
      case 'response.incomplete': {
        const response = isRecord(event.response) ? event.response : {}
        yield { type: 'finish', reason: finishOf(response, calls.size > 0), usage: decodeResponsesUsage(response.usage) }
        return
      }
      case 'response.failed':
      case 'error':
        throw streamError(event)
    }
  }
  throw badGateway('upstream Responses stream ended before response.completed')
}

function parse(data: string): JsonObject {
  const value = parseJsonObject(data)
  if (!value) throw badGateway('upstream Responses stream event is not a JSON object')
  return value
}

function streamError(event: JsonObject): GatewayError {
  const response = isRecord(event.response) ? event.response : {}
  const detail = isRecord(response.error) ? response.error : isRecord(event.error) ? event.error : event
  const message = typeof detail.message === 'string' ? detail.message : 'upstream Responses stream failed'
  return new GatewayError(502, 'upstream_error', `upstream stream error: ${message}`, { scope: 'member' })
}
