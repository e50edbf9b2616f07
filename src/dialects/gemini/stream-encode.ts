// Canonical events → Gemini stream chunks (GenerateContentResponse objects), then SSE
// frames. Text and thoughts go out as they come; a tool call's argument fragments are
// held until its end, because Gemini sends a functionCall whole. The last chunk carries
// finishReason and usageMetadata; nothing follows it (EOF ends a Gemini stream).
import type { ChatEvent, Usage } from '../../chat/types.ts'
import { badGateway } from '../../errors/gateway-error.ts'
import { sseFrame } from '../../upstream/sse.ts'
import type { EncodeStreamContext } from '../types.ts'
import { finishReasonToGemini, usageToGemini } from './finish-and-usage.ts'
import type { GeminiPart, GeminiResponse } from './wire.ts'
import { isRecord } from '../../json/read.ts'

interface PendingCall {
  id: string
  name: string
  signature?: string
  args: string
}

interface EncodeState {
  id: string
  model: string
  calls: Map<number, PendingCall>
  /** A thought signature waiting for the part it belongs to (the next text or call). */
  signature?: string
}

export async function* encodeStream(events: AsyncIterable<ChatEvent>, context: EncodeStreamContext): AsyncGenerator<string> {
  for await (const chunk of encodeStreamChunks(events, context)) yield sseFrame(JSON.stringify(chunk))
}

export async function* encodeStreamChunks(events: AsyncIterable<ChatEvent>, context: EncodeStreamContext): AsyncGenerator<GeminiResponse> {
  const state: EncodeState = { id: '', model: context.model, calls: new Map() }
  const chunk = (parts: GeminiPart[]): GeminiResponse => ({
    candidates: [{ content: { role: 'model', parts }, index: 0 }],
    modelVersion: state.model,
    responseId: state.id,
  })
  for await (const event of events) {
    switch (event.type) {
      case 'start':
        state.id = event.id
        if (event.model !== '') state.model = event.model
        break
      case 'text':
        if (event.text === '') break
        yield chunk([withSignature({ text: event.text }, state)])
        break
      case 'thinking':
        if (event.text === '') break
        if (state.signature !== undefined) yield chunk([takeSignature(state)])
        yield chunk([{ text: event.text, thought: true }])
        break
      case 'thinking_signature':
        if (state.signature !== undefined) yield chunk([takeSignature(state)])
        state.signature = event.signature
        break
      case 'redacted_thinking':
      case 'usage':
        break
      case 'tool_call_start':
        state.calls.set(
          event.index,
          event.signature === undefined
            ? { id: event.id, name: event.name, args: '' }
            : { id: event.id, name: event.name, signature: event.signature, args: '' },
        )
        break
      case 'tool_call_delta': {
        const call = state.calls.get(event.index)
        if (call === undefined) throw badGateway(`tool call ${event.index} sent arguments before it started`)
        call.args += event.argumentsDelta
        break
      }
      case 'tool_call_end': {
        const call = state.calls.get(event.index)
        if (call === undefined) break
        state.calls.delete(event.index)
        yield* callChunks(call, state, chunk)
        break
      }
      case 'finish': {
        for (const call of state.calls.values()) yield* callChunks(call, state, chunk)
        state.calls.clear()
        const last = chunk(state.signature === undefined ? [] : [takeSignature(state)])
        yield finalChunk(last, event.reason, event.usage)
        return
      }
    }
  }
  throw badGateway('the answer ended before it finished')
}

function* callChunks(call: PendingCall, state: EncodeState, chunk: (parts: GeminiPart[]) => GeminiResponse): Generator<GeminiResponse> {
  if (call.signature !== undefined && state.signature !== undefined) yield chunk([takeSignature(state)])
  const functionCall = { id: call.id, name: call.name, args: parseArguments(call) }
  const part: GeminiPart = call.signature === undefined ? { functionCall } : { functionCall, thoughtSignature: call.signature }
  yield chunk([withSignature(part, state)])
}

function parseArguments(call: PendingCall): Record<string, unknown> {
  if (call.args.trim() === '') return {}
  let args: unknown
  try {
    args = JSON.parse(call.args)
  } catch (error) {
    throw badGateway(`the arguments of tool call "${call.name}" are not valid JSON`, { cause: error })
  }
  if (!isRecord(args)) throw badGateway(`the arguments of tool call "${call.name}" are not a JSON object`)
  return args
}

function withSignature(part: GeminiPart, state: EncodeState): GeminiPart {
  if (state.signature === undefined || part.thoughtSignature !== undefined) return part
  const signed = { ...part, thoughtSignature: state.signature }
  state.signature = undefined
  return signed
}

function takeSignature(state: EncodeState): GeminiPart {
  const part: GeminiPart = { text: '', thoughtSignature: state.signature ?? '' }
  state.signature = undefined
  return part
}

function finalChunk(last: GeminiResponse, reason: Parameters<typeof finishReasonToGemini>[0], usage: Usage): GeminiResponse {
  const candidate = last.candidates[0]
  const candidates = candidate === undefined ? [] : [{ ...candidate, finishReason: finishReasonToGemini(reason) }]
  return { ...last, candidates, usageMetadata: usageToGemini(usage) }
}
