// Upstream `chat.completion.chunk` events → canonical ChatEvents, as an explicit state
// machine. The upstream order is: chunks with deltas, a chunk with finish_reason, then
// (when usage was asked for) a `choices: []` chunk with usage, then `[DONE]`; so the single
// canonical `finish` waits for `[DONE]` (or EOF once a finish_reason was seen).
import type { ChatEvent, FinishReason, Usage } from '../../chat/types.ts'
import { badGateway } from '../../errors/gateway-error.ts'
import type { SseEvent } from '../../upstream/sse.ts'
import type { OpenAICodecOptions } from './codec-options.ts'
import { decodeInBandError } from './error.ts'
import { decodeFinishReason } from './finish-reason.ts'
import { decodeUsage, zeroUsage } from './usage.ts'
import { expectJsonObject, isRecord, type JsonObject } from '../../json/read.ts'

/** `awaiting_start`: nothing seen; `streaming`: deltas flowing; `finishing`: finish_reason seen. */
type Phase = 'awaiting_start' | 'streaming' | 'finishing'

interface ToolCallState {
  /** The call's ordinal among this answer's tool calls (the canonical `index`). */
  ordinal: number
  id: string
  open: boolean
}

interface DecodeState {
  phase: Phase
  /** Keyed by the upstream's `tool_calls[].index`. */
  toolCalls: Map<number, ToolCallState>
  nextOrdinal: number
  finishReason?: unknown
  stopSequence?: string
  usage?: Usage
}

export async function* decodeOpenAIStream(events: AsyncIterable<SseEvent>, options: OpenAICodecOptions): AsyncGenerator<ChatEvent> {
  const state: DecodeState = { phase: 'awaiting_start', toolCalls: new Map(), nextOrdinal: 0 }
  for await (const event of events) {
    const data = event.data.trim()
    if (data === '') continue
    if (data === '[DONE]') {
      if (state.phase === 'awaiting_start') throw badGateway('upstream stream ended before it started')
      // An explicit end marker without a finish_reason still means a complete answer.
      yield* finish(state)
      return
    }
    yield* takeChunk(state, parseChunk(data), options)
  }
  if (state.phase !== 'finishing') throw badGateway('upstream stream ended before it finished')
  yield* finish(state)
}

function parseChunk(data: string): JsonObject {
  const chunk = expectJsonObject(data, (problem, cause) => badGateway(`upstream stream sent a chunk that is ${problem}`, { cause }))
  if (chunk.error !== undefined && chunk.error !== null) throw decodeInBandError(chunk)
  return chunk
}

function takeChunk(state: DecodeState, chunk: JsonObject, options: OpenAICodecOptions): ChatEvent[] {
  const out: ChatEvent[] = []
  if (state.phase === 'awaiting_start') {
    state.phase = 'streaming'
    out.push({
      type: 'start',
      id: typeof chunk.id === 'string' && chunk.id !== '' ? chunk.id : options.newId('chatcmpl-'),
      model: typeof chunk.model === 'string' ? chunk.model : '',
    })
  }
  const usage = decodeUsage(chunk.usage)
  if (usage) state.usage = usage
  const choice = firstChoice(chunk.choices)
  if (!choice) return out

  const delta = isRecord(choice.delta) ? choice.delta : {}
  const reasoning = nonEmptyString(delta.reasoning_content) ?? nonEmptyString(delta.reasoning)
  if (reasoning) out.push({ type: 'thinking', text: reasoning })
  const text = nonEmptyString(delta.content) ?? nonEmptyString(delta.refusal)
  if (text) out.push({ type: 'text', text })
  if (Array.isArray(delta.tool_calls)) {
    for (const [position, fragment] of delta.tool_calls.entries()) out.push(...takeToolFragment(state, fragment, position, options))
  }
  if (typeof choice.stop_reason === 'string') state.stopSequence = choice.stop_reason
  if (choice.finish_reason !== undefined && choice.finish_reason !== null) {
    state.phase = 'finishing'
    state.finishReason = choice.finish_reason
    out.push(...closeToolCalls(state))
  }
  return out
}

/** Switchboard never asks for several choices, so only choice 0 counts; `choices: []` is normal. */
function firstChoice(choices: unknown): JsonObject | undefined {
  if (!Array.isArray(choices)) return undefined
  const choice = choices.find((item) => isRecord(item) && (item.index === undefined || item.index === 0))
  return isRecord(choice) ? choice : undefined
}

function takeToolFragment(state: DecodeState, fragment: unknown, position: number, options: OpenAICodecOptions): ChatEvent[] {
  if (!isRecord(fragment)) throw badGateway('upstream stream sent a malformed tool call fragment')
  const index = typeof fragment.index === 'number' ? fragment.index : position
  const fn = isRecord(fragment.function) ? fragment.function : {}
  const id = nonEmptyString(fragment.id)
  const out: ChatEvent[] = []
  let call = state.toolCalls.get(index)
  // Some servers reuse index 0 for every call; a new id means a new call.
  if (call && id !== undefined && id !== call.id) {
    if (call.open) out.push({ type: 'tool_call_end', index: call.ordinal })
    call = undefined
  }
  if (!call) {
    const name = nonEmptyString(fn.name)
    if (name === undefined) throw badGateway(`upstream stream started tool call ${index} without a function name`)
    call = { ordinal: state.nextOrdinal++, id: id ?? options.newId('call_'), open: true }
    state.toolCalls.set(index, call)
    out.push({ type: 'tool_call_start', index: call.ordinal, id: call.id, name })
  }
  const argumentsDelta = nonEmptyString(fn.arguments)
  if (argumentsDelta !== undefined) {
    if (!call.open) throw badGateway(`upstream stream continued tool call ${index} after it finished`)
    out.push({ type: 'tool_call_delta', index: call.ordinal, argumentsDelta })
  }
  return out
}

function closeToolCalls(state: DecodeState): ChatEvent[] {
  const out: ChatEvent[] = []
  for (const call of state.toolCalls.values()) {
    if (!call.open) continue
    call.open = false
    out.push({ type: 'tool_call_end', index: call.ordinal })
  }
  return out
}

function finish(state: DecodeState): ChatEvent[] {
  const reason: FinishReason = decodeFinishReason(state.finishReason, state.nextOrdinal > 0)
  const event: Extract<ChatEvent, { type: 'finish' }> = { type: 'finish', reason, usage: state.usage ?? zeroUsage() }
  if (state.stopSequence !== undefined) event.stopSequence = state.stopSequence
  return [...closeToolCalls(state), event]
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}
