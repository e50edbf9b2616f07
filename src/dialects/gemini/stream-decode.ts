// Gemini SSE stream (each `data:` is one GenerateContentResponse) → canonical events.
// Text and thoughts arrive as deltas; a functionCall part arrives whole, so it becomes
// start + one delta with the full arguments + end. The chunk with finishReason may be
// followed by usage-only chunks, so `finish` is emitted at EOF; EOF before any
// finishReason means the upstream cut the stream.
import { randomId } from '../../chat/ids.ts'
import type { ChatEvent, FinishReason, Usage } from '../../chat/types.ts'
import { badGateway } from '../../errors/gateway-error.ts'
import type { SseEvent } from '../../upstream/sse.ts'
import { classifyGoogleError } from './error.ts'
import { finishReasonFromGemini, usageFromGemini } from './finish-and-usage.ts'
import { decodeAnswerParts } from './answer-parts-decode.ts'
import { expectJsonObject, isRecord, type JsonObject } from '../../json/read.ts'

interface DecodeState {
  started: boolean
  toolCalls: number
  /** Raw Gemini finish reason, once a chunk carried one. */
  finishReason?: string
  blocked: boolean
  usage?: Usage
}

export async function* decodeStream(events: AsyncIterable<SseEvent>, now: () => number = Date.now): AsyncGenerator<ChatEvent> {
  const state: DecodeState = { started: false, toolCalls: 0, blocked: false }
  for await (const event of events) {
    if (event.data.trim() === '') continue
    const chunk = parseChunk(event.data)
    if (isRecord(chunk.error)) throw classifyGoogleError(200, chunk, new Headers(), now())
    if (!state.started) {
      state.started = true
      yield startEvent(chunk)
    }
    if (chunk.usageMetadata !== undefined) state.usage = usageFromGemini(chunk.usageMetadata)
    yield* chunkEvents(chunk, state)
  }
  if (state.finishReason === undefined && !state.blocked) throw badGateway('upstream stream ended before it finished')
  const reason: FinishReason = state.blocked ? 'content_filter' : finishReasonFromGemini(state.finishReason ?? 'STOP', state.toolCalls > 0)
  yield { type: 'finish', reason, usage: state.usage ?? { inputTokens: 0, outputTokens: 0 } }
}

function parseChunk(data: string): JsonObject {
  return expectJsonObject(data, (problem, cause) => badGateway(`Gemini stream sent a frame that is ${problem}`, { cause }))
}

function startEvent(chunk: JsonObject): ChatEvent {
  const id = typeof chunk.responseId === 'string' && chunk.responseId !== '' ? chunk.responseId : randomId('resp_')
  const model = typeof chunk.modelVersion === 'string' ? chunk.modelVersion : ''
  if (chunk.usageMetadata === undefined) return { type: 'start', id, model }
  return { type: 'start', id, model, usage: { inputTokens: usageFromGemini(chunk.usageMetadata).inputTokens } }
}

function* chunkEvents(chunk: JsonObject, state: DecodeState): Generator<ChatEvent> {
  const candidates = chunk.candidates
  if (candidates !== undefined && !Array.isArray(candidates)) throw badGateway('Gemini stream sent candidates that are not an array')
  const candidate: unknown = candidates?.[0]
  if (candidate === undefined) {
    if (isRecord(chunk.promptFeedback) && chunk.promptFeedback.blockReason !== undefined) state.blocked = true
    return
  }
  if (!isRecord(candidate)) throw badGateway('Gemini stream sent a candidate that is not an object')
  for (const part of decodeAnswerParts(candidate.content)) {
    switch (part.type) {
      case 'text':
        yield { type: 'text', text: part.text }
        break
      case 'thinking':
        if (part.text !== '') yield { type: 'thinking', text: part.text }
        if (part.signature !== undefined) yield { type: 'thinking_signature', signature: part.signature }
        break
      case 'tool_call': {
        const index = state.toolCalls++
        yield part.signature === undefined
          ? { type: 'tool_call_start', index, id: part.id, name: part.name }
          : { type: 'tool_call_start', index, id: part.id, name: part.name, signature: part.signature }
        yield { type: 'tool_call_delta', index, argumentsDelta: JSON.stringify(part.arguments) }
        yield { type: 'tool_call_end', index }
        break
      }
      default:
        // Images and file references have no stream event.
        break
    }
  }
  if (typeof candidate.finishReason === 'string' && candidate.finishReason !== 'FINISH_REASON_UNSPECIFIED') state.finishReason = candidate.finishReason
}
