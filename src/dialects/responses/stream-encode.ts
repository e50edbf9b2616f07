// Canonical ChatEvents → Responses API stream events, in the official order:
// response.created, response.in_progress, then per output item output_item.added, its
// content events (content_part.added → output_text.delta… → output_text.done →
// content_part.done; reasoning summary parts alike; function_call_arguments.delta… →
// .done), output_item.done; last response.completed or response.incomplete. Every frame
// carries `event: <type>` and an increasing sequence_number; there is no [DONE].
// A failure after the start is thrown on, so the pipeline charges the member and ends the
// stream with the `error` event (encodeResponsesStreamError), never response.completed.
// Losses (documented): thinking signatures and redacted thinking.
import type { ChatEvent, Usage } from '../../chat/types.ts'
import { badGateway } from '../../errors/gateway-error.ts'
import { sseFrame } from '../../upstream/sse.ts'
import type { EncodeStreamContext } from '../types.ts'
import type { ResponsesCodecOptions } from './codec-options.ts'
import {
  functionCallItem,
  incompleteReason,
  messageItem,
  type OutputItem,
  outputText,
  type ResponseHead,
  reasoningItem,
  responseObject,
  summaryText,
} from './output-items.ts'

/** The item whose content is streaming now (text and reasoning runs are sequential). */
type OpenRun = { kind: 'message' | 'reasoning'; index: number; id: string; text: string }
interface OpenCall {
  index: number
  id: string
  callId: string
  name: string
  args: string
}

class ResponsesStreamEncoder {
  private sequence = 0
  /** Finished output items by output index. */
  private readonly output: OutputItem[] = []
  private run: OpenRun | undefined
  /** Function calls still receiving arguments, by canonical call ordinal. */
  private readonly calls = new Map<number, OpenCall>()
  private usage: Partial<Usage> = {}

  constructor(
    readonly head: ResponseHead,
    private readonly options: ResponsesCodecOptions,
  ) {}

  private frame(type: string, fields: Record<string, unknown>): string {
    return sseFrame(JSON.stringify({ type, sequence_number: this.sequence++, ...fields }), type)
  }

  start(usage: Partial<Usage> | undefined): string[] {
    this.usage = { ...usage }
    const response = responseObject(this.head, 'in_progress', [])
    return [this.frame('response.created', { response }), this.frame('response.in_progress', { response })]
  }

  text(text: string): string[] {
    const frames = this.run?.kind === 'message' ? [] : [...this.closeRun(), ...this.openRun('message')]
    const run = this.run as OpenRun
    run.text += text
    frames.push(this.frame('response.output_text.delta', { item_id: run.id, output_index: run.index, content_index: 0, delta: text, logprobs: [] }))
    return frames
  }

  thinking(text: string): string[] {
    const frames = this.run?.kind === 'reasoning' ? [] : [...this.closeRun(), ...this.openRun('reasoning')]
    const run = this.run as OpenRun
    run.text += text
    frames.push(this.frame('response.reasoning_summary_text.delta', { item_id: run.id, output_index: run.index, summary_index: 0, delta: text }))
    return frames
  }

  callStart(ordinal: number, callId: string, name: string): string[] {
    const frames = this.closeRun()
    const call = { index: this.output.length, id: this.options.newId('fc_'), callId, name, args: '' }
    this.output.push(functionCallItem(call.id, callId, name, '', 'in_progress'))
    this.calls.set(ordinal, call)
    frames.push(this.frame('response.output_item.added', { output_index: call.index, item: this.output[call.index] }))
    return frames
  }

  callDelta(ordinal: number, delta: string): string[] {
    const call = this.calls.get(ordinal)
    if (!call) return []
    call.args += delta
    return [this.frame('response.function_call_arguments.delta', { item_id: call.id, output_index: call.index, delta })]
  }

  callEnd(ordinal: number): string[] {
    const call = this.calls.get(ordinal)
    if (!call) return []
    this.calls.delete(ordinal)
    const item = functionCallItem(call.id, call.callId, call.name, call.args, 'completed')
    this.output[call.index] = item
    return [
      this.frame('response.function_call_arguments.done', { item_id: call.id, output_index: call.index, name: call.name, arguments: call.args }),
      this.frame('response.output_item.done', { output_index: call.index, item }),
    ]
  }

  addUsage(usage: Partial<Usage>): void {
    this.usage = { ...this.usage, ...usage }
  }

  finish(event: Extract<ChatEvent, { type: 'finish' }>): string[] {
    const incomplete = incompleteReason(event.reason)
    // The text cut by the limit is an incomplete message, as the official API marks it.
    const frames = this.closeRun(incomplete ? 'incomplete' : 'completed')
    for (const ordinal of [...this.calls.keys()]) frames.push(...this.callEnd(ordinal))
    const usage = { ...this.usage, ...event.usage }
    const response = responseObject(this.head, incomplete ? 'incomplete' : 'completed', this.output, { usage, ...(incomplete ? { incomplete } : {}) })
    frames.push(this.frame(incomplete ? 'response.incomplete' : 'response.completed', { response }))
    return frames
  }

  private openRun(kind: OpenRun['kind']): string[] {
    const index = this.output.length
    const id = this.options.newId(kind === 'message' ? 'msg_' : 'rs_')
    this.run = { kind, index, id, text: '' }
    const item = kind === 'message' ? messageItem(id, undefined, 'in_progress') : reasoningItem(id, undefined)
    this.output.push(item)
    const added = this.frame('response.output_item.added', { output_index: index, item })
    if (kind === 'message')
      return [added, this.frame('response.content_part.added', { item_id: id, output_index: index, content_index: 0, part: outputText('') })]
    return [added, this.frame('response.reasoning_summary_part.added', { item_id: id, output_index: index, summary_index: 0, part: summaryText('') })]
  }

  private closeRun(status: 'completed' | 'incomplete' = 'completed'): string[] {
    const run = this.run
    if (!run) return []
    this.run = undefined
    const { id, index, text } = run
    const at = { item_id: id, output_index: index }
    if (run.kind === 'message') {
      const item = messageItem(id, text, status)
      this.output[index] = item
      return [
        this.frame('response.output_text.done', { ...at, content_index: 0, text, logprobs: [] }),
        this.frame('response.content_part.done', { ...at, content_index: 0, part: outputText(text) }),
        this.frame('response.output_item.done', { output_index: index, item }),
      ]
    }
    const item = reasoningItem(id, text)
    this.output[index] = item
    return [
      this.frame('response.reasoning_summary_text.done', { ...at, summary_index: 0, text }),
      this.frame('response.reasoning_summary_part.done', { ...at, summary_index: 0, part: summaryText(text) }),
      this.frame('response.output_item.done', { output_index: index, item }),
    ]
  }
}

export async function* encodeResponsesStream(
  events: AsyncIterable<ChatEvent>,
  context: EncodeStreamContext,
  options: ResponsesCodecOptions,
): AsyncGenerator<string> {
  let encoder: ResponsesStreamEncoder | undefined
  for await (const event of events) {
    if (!encoder) {
      // A source that skips `start` still gets a well-formed stream.
      const start = event.type === 'start' ? event : undefined
      encoder = new ResponsesStreamEncoder(
        { id: options.newId('resp_'), createdAt: Math.floor(options.now() / 1000), model: start?.model || context.model },
        options,
      )
      yield* encoder.start(start?.usage)
      if (start) continue
    }
    switch (event.type) {
      case 'start':
      case 'thinking_signature':
      case 'redacted_thinking':
        break
      case 'text':
        yield* encoder.text(event.text)
        break
      case 'thinking':
        yield* encoder.thinking(event.text)
        break
      case 'tool_call_start':
        yield* encoder.callStart(event.index, event.id, event.name)
        break
      case 'tool_call_delta':
        yield* encoder.callDelta(event.index, event.argumentsDelta)
        break
      case 'tool_call_end':
        yield* encoder.callEnd(event.index)
        break
      case 'usage':
        encoder.addUsage(event.usage)
        break
      case 'finish':
        yield* encoder.finish(event)
        return
    }
  }
  throw badGateway('upstream stream ended before it finished')
}
