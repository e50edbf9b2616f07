// Canonical ChatEvents → Anthropic Messages SSE frames, as an explicit state machine.
// Anthropic content blocks are strictly sequential (one open block at a time, indices
// 0,1,2…), while canonical tool-call deltas of several calls may interleave: while a
// tool_use block is open, everything not belonging to it waits in arrival order and is
// written once that call ends.
import { randomId } from '../../chat/ids.ts'
import type { ChatEvent, Usage } from '../../chat/types.ts'
import { badGateway } from '../../errors/gateway-error.ts'
import { sseFrame } from '../../upstream/sse.ts'
import type { EncodeStreamContext } from '../types.ts'
import { anthropicMessageId, clientToolUseId } from './ids.ts'
import { encodeStopReason } from './stop-reason.ts'
import { anthropicUsage } from './usage.ts'

type ContentEvent = Extract<ChatEvent, { type: 'text' | 'thinking' | 'thinking_signature' | 'redacted_thinking' }>

interface ToolCall {
  id: string
  name: string
  /** Argument fragments that arrived before the call's block could open. */
  pending: string[]
  ended: boolean
  state: 'waiting' | 'open' | 'closed'
}

type OpenBlock = { kind: 'text' } | { kind: 'thinking'; signed: boolean } | { kind: 'redacted_thinking' } | { kind: 'tool'; ordinal: number }

type Waiting = { kind: 'tool'; ordinal: number } | { kind: 'content'; event: ContentEvent }

function frame(type: string, fields: Record<string, unknown>): string {
  return sseFrame(JSON.stringify({ type, ...fields }), type)
}

class AnthropicStreamWriter {
  phase: 'before_start' | 'streaming' | 'finished' = 'before_start'
  private out: string[] = []
  private nextIndex = 0
  private open: OpenBlock | undefined
  private readonly calls = new Map<number, ToolCall>()
  private readonly waiting: Waiting[] = []
  private usage: Partial<Usage> = {}
  private sawToolUse = false

  constructor(private readonly context: EncodeStreamContext) {}

  /** The frames this event produces (none while it has to wait). */
  handle(event: ChatEvent): string[] {
    if (this.phase === 'finished') return []
    if (event.type === 'start') this.start(event.id, event.model, event.usage)
    else if (event.type === 'usage') this.usage = { ...this.usage, ...event.usage }
    else {
      this.ensureStarted()
      switch (event.type) {
        case 'tool_call_start':
          this.calls.set(event.index, { id: clientToolUseId(event.id), name: event.name, pending: [], ended: false, state: 'waiting' })
          if (this.blocked()) this.waiting.push({ kind: 'tool', ordinal: event.index })
          else this.openTool(event.index)
          break
        case 'tool_call_delta':
          this.toolDelta(event.index, event.argumentsDelta)
          break
        case 'tool_call_end':
          this.toolEnd(event.index)
          break
        case 'finish':
          this.finish(event)
          break
        default:
          if (this.blocked()) this.waiting.push({ kind: 'content', event })
          else this.writeContent(event)
      }
    }
    const frames = this.out
    this.out = []
    return frames
  }

  private start(id: string, model: string, usage: Partial<Usage> | undefined): void {
    if (this.phase !== 'before_start') return
    this.phase = 'streaming'
    this.usage = { ...this.usage, ...usage }
    // OpenAI- and Gemini-shaped upstreams count input only at the end: start with the estimate.
    if (this.usage.inputTokens === undefined && this.context.inputTokensEstimate !== undefined) this.usage.inputTokens = this.context.inputTokensEstimate
    const message = {
      id: anthropicMessageId(id),
      type: 'message',
      role: 'assistant',
      model: model === '' ? this.context.model : model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: anthropicUsage(this.usage, 1),
    }
    this.out.push(frame('message_start', { message }), frame('ping', {}))
  }

  private ensureStarted(): void {
    if (this.phase === 'before_start') this.start(randomId('msg_'), this.context.model, undefined)
  }

  /** An open tool_use block must finish before anything else is written. */
  private blocked(): boolean {
    return this.open?.kind === 'tool'
  }

  private openBlock(block: OpenBlock, contentBlock: Record<string, unknown>): void {
    this.closeBlock()
    this.open = block
    this.out.push(frame('content_block_start', { index: this.nextIndex, content_block: contentBlock }))
  }

  private delta(delta: Record<string, unknown>): void {
    this.out.push(frame('content_block_delta', { index: this.nextIndex, delta }))
  }

  private closeBlock(): void {
    if (this.open === undefined) return
    if (this.open.kind === 'tool') {
      const call = this.calls.get(this.open.ordinal)
      if (call) call.state = 'closed'
    }
    this.out.push(frame('content_block_stop', { index: this.nextIndex }))
    this.open = undefined
    this.nextIndex++
  }

  private openTool(ordinal: number): void {
    const call = this.calls.get(ordinal)
    if (call === undefined) return
    this.openBlock({ kind: 'tool', ordinal }, { type: 'tool_use', id: call.id, name: call.name, input: {} })
    call.state = 'open'
    this.sawToolUse = true
    for (const fragment of call.pending) this.delta({ type: 'input_json_delta', partial_json: fragment })
    call.pending = []
    if (call.ended) this.closeBlock()
  }

  private toolDelta(ordinal: number, fragment: string): void {
    const call = this.calls.get(ordinal)
    if (call === undefined || fragment === '') return
    if (call.state === 'open') this.delta({ type: 'input_json_delta', partial_json: fragment })
    else if (call.state === 'waiting') call.pending.push(fragment)
  }

  private toolEnd(ordinal: number): void {
    const call = this.calls.get(ordinal)
    if (call === undefined) return
    call.ended = true
    if (call.state === 'open') {
      this.closeBlock()
      this.drain()
    }
  }

  private drain(): void {
    while (!this.blocked()) {
      const next = this.waiting.shift()
      if (next === undefined) return
      if (next.kind === 'tool') this.openTool(next.ordinal)
      else this.writeContent(next.event)
    }
  }

  private writeContent(event: ContentEvent): void {
    switch (event.type) {
      case 'text':
        if (event.text === '') return
        if (this.open?.kind !== 'text') this.openBlock({ kind: 'text' }, { type: 'text', text: '' })
        this.delta({ type: 'text_delta', text: event.text })
        return
      case 'thinking':
        if (event.text === '') return
        this.ensureThinkingBlock()
        this.delta({ type: 'thinking_delta', thinking: event.text })
        return
      case 'thinking_signature': {
        const block = this.ensureThinkingBlock()
        this.delta({ type: 'signature_delta', signature: event.signature })
        block.signed = true
        return
      }
      case 'redacted_thinking':
        this.openBlock({ kind: 'redacted_thinking' }, { type: 'redacted_thinking', data: event.data })
        this.closeBlock()
        return
    }
  }

  /** The open thinking block, or a new one: a signature ends a thinking block. */
  private ensureThinkingBlock(): { kind: 'thinking'; signed: boolean } {
    if (this.open?.kind === 'thinking' && !this.open.signed) return this.open
    const block = { kind: 'thinking' as const, signed: false }
    // signature '' so clients always see a string, as in non-stream answers; signature_delta fills it.
    this.openBlock(block, { type: 'thinking', thinking: '', signature: '' })
    return block
  }

  private finish(event: Extract<ChatEvent, { type: 'finish' }>): void {
    // Calls the upstream never ended are complete now; write whatever still waits.
    for (const call of this.calls.values()) call.ended = true
    if (this.blocked()) this.closeBlock()
    this.drain()
    this.closeBlock()
    // The finish usage is the final count; an input count known only from earlier events is kept.
    const known = this.usage
    this.usage =
      event.usage.inputTokens === 0 && known.inputTokens
        ? { ...event.usage, inputTokens: known.inputTokens, cachedInputTokens: known.cachedInputTokens ?? 0 }
        : event.usage
    const stopReason = encodeStopReason(
      event.stopSequence === undefined ? { reason: event.reason } : { reason: event.reason, stopSequence: event.stopSequence },
      this.sawToolUse,
    )
    const delta = { stop_reason: stopReason, stop_sequence: stopReason === 'stop_sequence' ? (event.stopSequence ?? null) : null }
    this.out.push(frame('message_delta', { delta, usage: anthropicUsage(this.usage) }), frame('message_stop', {}))
    this.phase = 'finished'
  }
}

export async function* encodeAnthropicStream(events: AsyncIterable<ChatEvent>, context: EncodeStreamContext): AsyncGenerator<string> {
  const writer = new AnthropicStreamWriter(context)
  for await (const event of events) {
    for (const out of writer.handle(event)) yield out
    if (writer.phase === 'finished') return
  }
  throw badGateway('upstream stream ended without a finish event')
}
