// The Messages API on the wire (docs/protocols.md#anthropic-answers, #anthropic-stream): the non-stream message and the
// event sequence message_start, ping, content blocks (start, deltas, stop) in index order,
// message_delta with cumulative usage, message_stop — each `event:` + `data:` + blank line.
import type { Answer, FinishKind } from '../shared/answer.ts'
import type { Frame } from '../shared/body-writer.ts'
import type { WireFormat } from '../shared/respond.ts'
import { defaultAnthropicError, withRequestId } from './errors.ts'

export interface AnthropicExchange {
  id: string
  requestId: string
  model: string
}

const STOP_REASON: Record<FinishKind, string> = { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use' }

const event = (name: string, payload: unknown): string => `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`
// The real API writes the ping payload with a space after the colon.
const PING = 'event: ping\ndata: {"type": "ping"}\n\n'

/** A stable, base64 signature for the thinking block of a message. */
const signatureFor = (id: string): string => btoa(`fake-signature:${id}`)

const usage = (answer: Answer, outputTokens: number) => ({
  input_tokens: answer.inputTokens,
  cache_creation_input_tokens: 0,
  cache_read_input_tokens: 0,
  output_tokens: outputTokens,
})

/** Text block when there is text, or when there would be no block at all. */
const hasTextBlock = (answer: Answer): boolean => answer.text !== '' || (answer.thinking === undefined && answer.toolCalls.length === 0)

function streamFrames(exchange: AnthropicExchange, answer: Answer): Frame[] {
  const frames: Frame[] = []
  const meta = (name: string, payload: unknown) => frames.push({ text: event(name, payload), content: false })
  const delta = (index: number, payload: Record<string, unknown>) =>
    frames.push({ text: event('content_block_delta', { type: 'content_block_delta', index, delta: payload }), content: true })
  let index = 0
  const block = (start: Record<string, unknown>, body: (at: number) => void) => {
    const at = index++
    meta('content_block_start', { type: 'content_block_start', index: at, content_block: start })
    body(at)
    meta('content_block_stop', { type: 'content_block_stop', index: at })
  }

  meta('message_start', {
    type: 'message_start',
    message: {
      id: exchange.id,
      type: 'message',
      role: 'assistant',
      model: exchange.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usage(answer, 1),
    },
  })
  frames.push({ text: PING, content: false })
  if (answer.thinking !== undefined) {
    block({ type: 'thinking', thinking: '' }, (at) => {
      for (const piece of answer.thinkingPieces) delta(at, { type: 'thinking_delta', thinking: piece })
      meta('content_block_delta', { type: 'content_block_delta', index: at, delta: { type: 'signature_delta', signature: signatureFor(exchange.id) } })
    })
  }
  if (hasTextBlock(answer)) {
    block({ type: 'text', text: '' }, (at) => {
      for (const piece of answer.textPieces) delta(at, { type: 'text_delta', text: piece })
    })
  }
  for (const call of answer.toolCalls) {
    block({ type: 'tool_use', id: call.id, name: call.name, input: {} }, (at) => {
      meta('content_block_delta', { type: 'content_block_delta', index: at, delta: { type: 'input_json_delta', partial_json: '' } })
      for (const fragment of call.fragments) delta(at, { type: 'input_json_delta', partial_json: fragment })
    })
  }
  meta('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: STOP_REASON[answer.finish], stop_sequence: null },
    usage: { output_tokens: answer.outputTokens },
  })
  meta('message_stop', { type: 'message_stop' })
  return frames
}

function body(exchange: AnthropicExchange, answer: Answer) {
  const content: Record<string, unknown>[] = []
  if (answer.thinking !== undefined) content.push({ type: 'thinking', thinking: answer.thinking, signature: signatureFor(exchange.id) })
  if (hasTextBlock(answer)) content.push({ type: 'text', text: answer.text })
  for (const call of answer.toolCalls) content.push({ type: 'tool_use', id: call.id, name: call.name, input: JSON.parse(call.arguments) as unknown })
  return {
    id: exchange.id,
    type: 'message',
    role: 'assistant',
    model: exchange.model,
    content,
    stop_reason: STOP_REASON[answer.finish],
    stop_sequence: null,
    usage: usage(answer, answer.outputTokens),
  }
}

/** JSON response with Anthropic's headers (`request-id` on every response). */
export function anthropicJson(status: number, payload: unknown, requestId: string, headers: Record<string, string> = {}): Response {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload)
  return new Response(text, { status, headers: { 'content-type': 'application/json', 'request-id': requestId, ...headers } })
}

export function anthropicWire(exchange: AnthropicExchange): WireFormat {
  const { requestId } = exchange
  return {
    streamFrames: (answer) => streamFrames(exchange, answer),
    body: (answer) => body(exchange, answer),
    streamErrorFrame: () => event('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
    malformedFrame: () => `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\n\n`,
    overloadedResponse: () => anthropicJson(529, defaultAnthropicError(529, requestId), requestId),
    statusResponse: (status, payload, headers) =>
      anthropicJson(status, payload === undefined ? defaultAnthropicError(status, requestId) : withRequestId(payload, requestId), requestId, headers),
    successHeaders: (stream): Record<string, string> =>
      stream
        ? { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': requestId }
        : { 'content-type': 'application/json', 'request-id': requestId },
  }
}
