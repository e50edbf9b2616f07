// The OpenAI Responses API on the wire: the `response` object of a non-stream answer and the
// exact event sequence of a stream (response.created, response.in_progress, per output item
// added → content events → done, response.completed or response.incomplete), each frame with
// `event: <type>` and an increasing sequence_number; no [DONE].
import type { Answer } from '../shared/answer.ts'
import type { Frame } from '../shared/body-writer.ts'
import type { WireFormat } from '../shared/respond.ts'
import { defaultOpenAIErrorBody } from '../openai/errors.ts'
import { openaiJson, openaiSuccessHeaders } from '../openai/wire.ts'

export interface ResponsesExchange {
  id: string
  requestId: string
  createdAt: number
  model: string
}

type Item = Record<string, unknown>

const textPart = (text: string) => ({ type: 'output_text', text, annotations: [], logprobs: [] })

function usage(answer: Answer) {
  return {
    input_tokens: answer.inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: answer.outputTokens,
    output_tokens_details: { reasoning_tokens: answer.reasoningTokens },
    total_tokens: answer.inputTokens + answer.outputTokens,
  }
}

function outputItems(exchange: ResponsesExchange, answer: Answer): Item[] {
  const status = answer.finish === 'length' ? 'incomplete' : 'completed'
  const items: Item[] = []
  if (answer.thinking !== undefined) items.push({ id: `rs_${exchange.id}`, type: 'reasoning', summary: [{ type: 'summary_text', text: answer.thinking }] })
  if (answer.text !== '') items.push({ id: `msg_${exchange.id}`, type: 'message', status, role: 'assistant', content: [textPart(answer.text)] })
  for (const [index, call] of answer.toolCalls.entries()) {
    items.push({ id: `fc_${exchange.id}_${index}`, type: 'function_call', status: 'completed', call_id: call.id, name: call.name, arguments: call.arguments })
  }
  return items
}

function responseObject(exchange: ResponsesExchange, status: string, output: Item[], answer?: Answer) {
  return {
    id: exchange.id,
    object: 'response',
    created_at: exchange.createdAt,
    status,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    model: exchange.model,
    output,
    parallel_tool_calls: true,
    usage: answer ? usage(answer) : null,
  }
}

function streamFrames(exchange: ResponsesExchange, answer: Answer): Frame[] {
  const frames: Frame[] = []
  let sequence = 0
  const frame = (type: string, fields: Record<string, unknown>, content = false) => {
    frames.push({ text: `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`, content })
  }
  const items = outputItems(exchange, answer)
  frame('response.created', { response: responseObject(exchange, 'in_progress', []) })
  frame('response.in_progress', { response: responseObject(exchange, 'in_progress', []) })
  for (const [index, item] of items.entries()) {
    const at = { item_id: item.id, output_index: index }
    if (item.type === 'reasoning') {
      frame('response.output_item.added', { output_index: index, item: { ...item, summary: [] } })
      frame('response.reasoning_summary_part.added', { ...at, summary_index: 0, part: { type: 'summary_text', text: '' } })
      for (const piece of answer.thinkingPieces) frame('response.reasoning_summary_text.delta', { ...at, summary_index: 0, delta: piece }, true)
      frame('response.reasoning_summary_text.done', { ...at, summary_index: 0, text: answer.thinking })
      frame('response.reasoning_summary_part.done', { ...at, summary_index: 0, part: { type: 'summary_text', text: answer.thinking } })
    } else if (item.type === 'message') {
      frame('response.output_item.added', { output_index: index, item: { ...item, status: 'in_progress', content: [] } })
      frame('response.content_part.added', { ...at, content_index: 0, part: textPart('') })
      for (const piece of answer.textPieces) frame('response.output_text.delta', { ...at, content_index: 0, delta: piece, logprobs: [] }, true)
      frame('response.output_text.done', { ...at, content_index: 0, text: answer.text, logprobs: [] })
      frame('response.content_part.done', { ...at, content_index: 0, part: textPart(answer.text) })
    } else {
      const call = answer.toolCalls[index - (items.length - answer.toolCalls.length)]
      frame('response.output_item.added', { output_index: index, item: { ...item, status: 'in_progress', arguments: '' } })
      for (const fragment of call?.fragments ?? []) frame('response.function_call_arguments.delta', { ...at, delta: fragment }, true)
      frame('response.function_call_arguments.done', { ...at, arguments: item.arguments })
    }
    frame('response.output_item.done', { output_index: index, item })
  }
  const status = answer.finish === 'length' ? 'incomplete' : 'completed'
  frame(`response.${status}`, { response: responseObject(exchange, status, items, answer) })
  return frames
}

export function responsesWire(exchange: ResponsesExchange): WireFormat {
  return {
    streamFrames: (answer) => streamFrames(exchange, answer),
    body: (answer) => responseObject(exchange, answer.finish === 'length' ? 'incomplete' : 'completed', outputItems(exchange, answer), answer),
    streamErrorFrame: () =>
      `event: response.failed\ndata: ${JSON.stringify({
        type: 'response.failed',
        sequence_number: 999,
        response: { ...responseObject(exchange, 'failed', []), error: { code: 'server_error', message: defaultOpenAIErrorBody(500).error.message } },
      })}\n\n`,
    malformedFrame: () => `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"`,
    overloadedResponse: () => openaiJson(500, defaultOpenAIErrorBody(500), exchange.requestId),
    statusResponse: (status, payload, headers) => openaiJson(status, payload ?? defaultOpenAIErrorBody(status), exchange.requestId, headers),
    successHeaders: (stream) => openaiSuccessHeaders(exchange.requestId, stream),
  }
}
