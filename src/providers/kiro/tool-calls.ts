// Kiro streams a tool call as toolUseEvent fragments: the same toolUseId (and usually
// name) on each, `input` as pieces of JSON text, `stop: true` on the last. This assembler
// turns them into tool_call_start / tool_call_delta / tool_call_end events.
import type { ChatEvent } from '../../chat/types.ts'
import { badGateway } from '../../errors/gateway-error.ts'
import type { ToolNameMap } from './tool-names.ts'
import { isRecord, parseJsonObject } from '../../json/read.ts'

interface ToolCall {
  index: number
  id: string
  name: string
  input: string
  ended: boolean
}

export class ToolCallAssembler {
  private readonly calls = new Map<string, ToolCall>()
  /** The call that continuation fragments without a toolUseId belong to. */
  private open?: ToolCall
  private inputChars = 0

  constructor(private readonly names: ToolNameMap) {}

  get count(): number {
    return this.calls.size
  }

  /** Characters of tool input received, for the output token estimate. */
  get characters(): number {
    return this.inputChars
  }

  fragment(payload: Record<string, unknown>): ChatEvent[] {
    const out: ChatEvent[] = []
    const id = nonEmpty(payload.toolUseId)
    let call = id === undefined ? this.open : this.calls.get(id)
    if (!call) {
      const name = nonEmpty(payload.name)
      if (id === undefined || name === undefined) throw badGateway('Kiro sent a toolUseEvent without toolUseId and name')
      call = { index: this.calls.size, id, name: this.names.fromKiro(name), input: '', ended: false }
      this.calls.set(id, call)
      out.push({ type: 'tool_call_start', index: call.index, id, name: call.name })
    }
    // A repeat of a finished call adds nothing: its arguments are complete.
    if (call.ended) return out
    this.open = call

    const input = payload.input
    // Input is normally JSON text in pieces; an object is the whole input at once.
    const piece = typeof input === 'string' ? input : isRecord(input) && call.input === '' ? JSON.stringify(input) : ''
    if (piece !== '') {
      call.input += piece
      this.inputChars += piece.length
      out.push({ type: 'tool_call_delta', index: call.index, argumentsDelta: piece })
    }
    if (payload.stop === true) out.push(...this.end(call))
    return out
  }

  /** Ends the calls the stream left open (Kiro may omit the final stop fragment). */
  finish(): ChatEvent[] {
    return [...this.calls.values()].filter((call) => !call.ended).flatMap((call) => this.end(call))
  }

  private end(call: ToolCall): ChatEvent[] {
    const out: ChatEvent[] = []
    if (call.input.trim() === '') {
      call.input = '{}'
      out.push({ type: 'tool_call_delta', index: call.index, argumentsDelta: '{}' })
    }
    if (parseJsonObject(call.input) === undefined) throw badGateway(`Kiro sent arguments for tool ${call.name} that are not a JSON object`)
    call.ended = true
    if (this.open === call) this.open = undefined
    out.push({ type: 'tool_call_end', index: call.index })
    return out
  }
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}
