// Anthropic Messages SSE events → canonical ChatEvents, as an explicit state machine:
// awaiting `message_start` → streaming content blocks → done at `message_stop`.
import type { ChatEvent } from '../../chat/types.ts'
import { badGateway } from '../../errors/gateway-error.ts'
import type { SseEvent } from '../../upstream/sse.ts'
import { anthropicErrorFromPayload } from './error.ts'
import { decodeStopReason } from './stop-reason.ts'
import { type UsageCounters, canonicalUsage, mergeUsageCounters, readUsageCounters } from './usage.ts'
import { expectJsonObject, jsonReader } from '../../json/read.ts'

const read = jsonReader((message) => badGateway(`upstream sent an invalid Anthropic stream event: ${message}`))

/** What an open content block turns into; `ordinal` counts tool_use blocks, not all blocks. */
type OpenBlock =
  | { kind: 'text' }
  | { kind: 'thinking' }
  | { kind: 'tool'; ordinal: number; initialInput: Record<string, unknown>; sentArguments: boolean }
  | { kind: 'ignored' }

interface DecodeState {
  phase: 'awaiting_start' | 'streaming'
  blocks: Map<number, OpenBlock>
  toolCalls: number
  usage: UsageCounters
  stopReason: unknown
  stopSequence: unknown
}

export async function* decodeAnthropicStream(events: AsyncIterable<SseEvent>): AsyncGenerator<ChatEvent> {
  const state: DecodeState = { phase: 'awaiting_start', blocks: new Map(), toolCalls: 0, usage: {}, stopReason: null, stopSequence: null }
  for await (const sse of events) {
    const payload = parsePayload(sse)
    const type = typeof payload.type === 'string' ? payload.type : sse.event
    if (type === 'error' || sse.event === 'error') throw anthropicErrorFromPayload(payload)
    if (type === 'message_stop') {
      if (state.phase !== 'streaming') throw badGateway('upstream stream sent message_stop before message_start')
      yield* finish(state)
      return
    }
    for (const event of step(state, type, payload)) yield event
  }
  throw badGateway(state.phase === 'awaiting_start' ? 'upstream stream ended before message_start' : 'upstream stream ended before message_stop')
}

function parsePayload(sse: SseEvent): Record<string, unknown> {
  return expectJsonObject(sse.data, (problem, cause) => badGateway(`upstream sent a corrupt Anthropic stream frame (${problem})`, { cause }))
}

function step(state: DecodeState, type: string | undefined, payload: Record<string, unknown>): ChatEvent[] {
  if (type === 'message_start') return messageStart(state, payload)
  if (type !== 'content_block_start' && type !== 'content_block_delta' && type !== 'content_block_stop' && type !== 'message_delta') {
    return [] // ping and event types added after this code was written
  }
  if (state.phase !== 'streaming') throw badGateway(`upstream stream sent ${type} before message_start`)
  switch (type) {
    case 'content_block_start':
      return blockStart(state, payload)
    case 'content_block_delta':
      return blockDelta(state, payload)
    case 'content_block_stop':
      return blockStop(state, read.integer(payload.index, 'index', 0))
    case 'message_delta': {
      const delta = read.record(payload.delta, 'delta')
      if ('stop_reason' in delta) state.stopReason = delta.stop_reason
      if ('stop_sequence' in delta) state.stopSequence = delta.stop_sequence
      state.usage = mergeUsageCounters(state.usage, readUsageCounters(payload.usage))
      return []
    }
  }
}

function messageStart(state: DecodeState, payload: Record<string, unknown>): ChatEvent[] {
  if (state.phase !== 'awaiting_start') throw badGateway('upstream stream sent a second message_start')
  const message = read.record(payload.message, 'message')
  state.phase = 'streaming'
  state.usage = readUsageCounters(message.usage)
  return [{ type: 'start', id: read.string(message.id, 'message.id'), model: read.string(message.model, 'message.model'), usage: canonicalUsage(state.usage) }]
}

function blockStart(state: DecodeState, payload: Record<string, unknown>): ChatEvent[] {
  const index = read.integer(payload.index, 'index', 0)
  const block = read.record(payload.content_block, 'content_block')
  switch (block.type) {
    case 'text': {
      state.blocks.set(index, { kind: 'text' })
      const text = read.optional(block.text, 'content_block.text', read.string)
      return text ? [{ type: 'text', text }] : []
    }
    case 'thinking': {
      state.blocks.set(index, { kind: 'thinking' })
      const out: ChatEvent[] = []
      const text = read.optional(block.thinking, 'content_block.thinking', read.string)
      if (text) out.push({ type: 'thinking', text })
      const signature = read.optional(block.signature, 'content_block.signature', read.string)
      if (signature) out.push({ type: 'thinking_signature', signature })
      return out
    }
    case 'redacted_thinking':
      state.blocks.set(index, { kind: 'ignored' })
      return [{ type: 'redacted_thinking', data: read.string(block.data, 'content_block.data') }]
    case 'tool_use': {
      const ordinal = state.toolCalls++
      const initialInput = read.optional(block.input, 'content_block.input', read.record) ?? {}
      state.blocks.set(index, { kind: 'tool', ordinal, initialInput, sentArguments: false })
      return [{ type: 'tool_call_start', index: ordinal, id: read.string(block.id, 'content_block.id'), name: read.string(block.name, 'content_block.name') }]
    }
    default:
      state.blocks.set(index, { kind: 'ignored' })
      return []
  }
}

function blockDelta(state: DecodeState, payload: Record<string, unknown>): ChatEvent[] {
  const index = read.integer(payload.index, 'index', 0)
  const block = state.blocks.get(index)
  if (block === undefined) throw badGateway(`upstream stream sent a delta for content block ${index}, which is not open`)
  const delta = read.record(payload.delta, 'delta')
  switch (delta.type) {
    case 'text_delta': {
      const text = read.string(delta.text, 'delta.text')
      return text === '' ? [] : [{ type: 'text', text }]
    }
    case 'thinking_delta': {
      const text = read.string(delta.thinking, 'delta.thinking')
      return text === '' ? [] : [{ type: 'thinking', text }]
    }
    case 'signature_delta':
      return [{ type: 'thinking_signature', signature: read.string(delta.signature, 'delta.signature') }]
    case 'input_json_delta': {
      const fragment = read.string(delta.partial_json, 'delta.partial_json')
      if (block.kind === 'ignored') return [] // server_tool_use input, which the canonical shape has no place for
      if (block.kind !== 'tool') throw badGateway(`upstream stream sent input_json_delta for content block ${index}, which is not a tool_use block`)
      if (fragment === '') return []
      block.sentArguments = true
      return [{ type: 'tool_call_delta', index: block.ordinal, argumentsDelta: fragment }]
    }
    default:
      return [] // citations_delta and newer delta types carry nothing canonical
  }
}

function blockStop(state: DecodeState, index: number): ChatEvent[] {
  const block = state.blocks.get(index)
  state.blocks.delete(index)
  if (block?.kind !== 'tool') return []
  const out: ChatEvent[] = []
  // A call without input deltas still owes its consumer a JSON text: the start block's input.
  if (!block.sentArguments) out.push({ type: 'tool_call_delta', index: block.ordinal, argumentsDelta: JSON.stringify(block.initialInput) })
  out.push({ type: 'tool_call_end', index: block.ordinal })
  return out
}

function finish(state: DecodeState): ChatEvent[] {
  const out: ChatEvent[] = []
  for (const index of [...state.blocks.keys()].sort((a, b) => a - b)) out.push(...blockStop(state, index))
  const stop = decodeStopReason(state.stopReason, state.stopSequence)
  out.push({ type: 'finish', ...stop, usage: canonicalUsage(state.usage) })
  return out
}
