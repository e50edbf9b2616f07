// Decoded event-stream messages → canonical ChatEvents (docs/protocols.md#kiro-events). A state
// machine over the messages: text (with `<thinking>` split off), reasoning, tool-call
// fragments, context usage; exception and error frames end the stream with a thrown
// GatewayError, so a failure is never passed off as a short success.
//
// Usage: Kiro sends no token counts. Output tokens are estimated from the characters
// produced (text, thinking, tool input: about 4 per token, at least 1 when there is any
// output). Input tokens come from contextUsageEvent when Kiro sends one — the share of
// the model's context window in use, so window × pct/100 minus the output estimate — and
// otherwise from the local estimate of the request.
import type { ChatEvent, Usage } from '../../chat/types.ts'
import { badGateway } from '../../errors/gateway-error.ts'
import { stringHeader } from './event-headers.ts'
import type { EventStreamMessage } from './event-stream.ts'
import { kiroStreamError } from './errors.ts'
import { ThinkingTagSplitter } from './thinking-tags.ts'
import { ToolCallAssembler } from './tool-calls.ts'
import type { ToolNameMap } from './tool-names.ts'
import { parseJsonObject } from '../../json/read.ts'

export interface KiroEventContext {
  /** The answer id reported to the client. */
  id: string
  /** The client's model name. */
  model: string
  toolNames: ToolNameMap
  /** The model's context window in tokens. */
  contextWindow: number
  /** Local estimate of the request's input tokens. */
  inputTokens: number
  now: () => number
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** The canonical events of one Kiro answer; throws GatewayError on exception frames and garbage. */
export async function* kiroChatEvents(messages: AsyncIterable<EventStreamMessage>, context: KiroEventContext): AsyncGenerator<ChatEvent> {
  const translator = new KiroEventTranslator(context)
  // `start` waits for the first content, so an exception in the very first frame fails
  // the call before anything is committed to the client (and the pool may fail over).
  let started = false
  const emit = function* (events: ChatEvent[]): Generator<ChatEvent> {
    if (events.length === 0) return
    if (!started) {
      started = true
      yield { type: 'start', id: context.id, model: context.model, usage: { inputTokens: context.inputTokens } }
    }
    yield* events
  }
  for await (const message of messages) yield* emit(translator.handle(message))
  const closing = translator.finish()
  yield* emit(closing)
}

class KiroEventTranslator {
  private readonly text = new ThinkingTagSplitter()
  private readonly tools: ToolCallAssembler
  /** The previous message's text when it was an assistantResponseEvent (for duplicate frames). */
  private lastText?: string
  private outputChars = 0
  private contextUsagePercentage?: number

  constructor(private readonly context: KiroEventContext) {
    this.tools = new ToolCallAssembler(context.toolNames)
  }

  handle(message: EventStreamMessage): ChatEvent[] {
    const messageType = stringHeader(message.headers, ':message-type') ?? 'event'
    if (messageType === 'exception') {
      const payload = this.payloadOf(message, 'exception')
      const text = typeof payload.message === 'string' ? payload.message : 'no message'
      throw kiroStreamError(stringHeader(message.headers, ':exception-type'), text, this.context.now())
    }
    if (messageType === 'error') {
      const code = stringHeader(message.headers, ':error-code')
      throw kiroStreamError(code, stringHeader(message.headers, ':error-message') ?? 'no message', this.context.now())
    }
    if (messageType !== 'event') return []

    const eventType = stringHeader(message.headers, ':event-type') ?? ''
    const previousText = this.lastText
    this.lastText = undefined
    switch (eventType) {
      case 'assistantResponseEvent': {
        const content = this.payloadOf(message, eventType).content
        if (typeof content !== 'string') return []
        this.lastText = content
        // Kiro has been seen to send the same text frame twice in a row.
        if (content === previousText) return []
        return this.text.push(content).map((piece) => this.counted(piece))
      }
      case 'reasoningContentEvent':
        return this.reasoning(this.payloadOf(message, eventType))
      case 'toolUseEvent':
        return this.tools.fragment(this.payloadOf(message, eventType))
      case 'contextUsageEvent': {
        const pct = this.payloadOf(message, eventType).contextUsagePercentage
        if (typeof pct === 'number' && Number.isFinite(pct) && pct >= 0) this.contextUsagePercentage = pct
        return []
      }
      case 'invalidStateEvent': {
        const payload = this.payloadOf(message, eventType)
        const why = [payload.reason, payload.message].filter((part) => typeof part === 'string').join(': ')
        throw badGateway(`Kiro reported an invalid conversation state${why ? `: ${why}` : ''}`)
      }
      default:
        // meteringEvent, messageMetadataEvent, metadataEvent, followupPromptEvent,
        // codeReferenceEvent, supplementaryWebLinksEvent, messageStopEvent and event
        // types added later carry nothing the canonical answer has room for.
        return []
    }
  }

  finish(): ChatEvent[] {
    const events: ChatEvent[] = [...this.text.flush().map((piece) => this.counted(piece)), ...this.tools.finish()]
    events.push({ type: 'finish', reason: this.tools.count > 0 ? 'tool_calls' : 'stop', usage: this.usage() })
    return events
  }

  private reasoning(payload: Record<string, unknown>): ChatEvent[] {
    const events: ChatEvent[] = []
    const { text, signature, redactedContent } = payload
    if (typeof text === 'string' && text !== '') events.push(this.counted({ type: 'thinking', text }))
    if (typeof signature === 'string' && signature !== '') events.push({ type: 'thinking_signature', signature })
    if (typeof redactedContent === 'string' && redactedContent !== '') events.push({ type: 'redacted_thinking', data: redactedContent })
    return events
  }

  private counted(piece: { type: 'text' | 'thinking'; text: string }): ChatEvent {
    this.outputChars += piece.text.length
    return piece
  }

  private usage(): Usage {
    const outputTokens = Math.ceil((this.outputChars + this.tools.characters) / 4)
    const fromContext =
      this.contextUsagePercentage === undefined ? 0 : Math.round((this.context.contextWindow * this.contextUsagePercentage) / 100) - outputTokens
    return { inputTokens: fromContext > 0 ? fromContext : this.context.inputTokens, outputTokens }
  }

  /** The JSON object payload; decoded only now, after framing, so split characters are whole again. */
  private payloadOf(message: EventStreamMessage, what: string): Record<string, unknown> {
    if (message.payload.length === 0) return {}
    let text: string
    try {
      text = utf8.decode(message.payload)
    } catch {
      throw badGateway(`Kiro sent a ${what} payload that is not UTF-8`)
    }
    const payload = parseJsonObject(text)
    if (!payload) throw badGateway(`Kiro sent a ${what} payload that is not a JSON object`)
    return payload
  }
}
