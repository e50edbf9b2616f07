// OpenAI Chat Completions on the wire (docs/protocols.md#openai-answers, #openai-stream): the non-stream body and the
// exact chunk sequence of a stream — role chunk, reasoning/content/tool-call deltas, finish
// chunk, a `choices:[]` usage chunk only when include_usage was asked for, then [DONE].
import type { Answer, FinishKind } from '../shared/answer.ts'
import type { Frame } from '../shared/body-writer.ts'
import type { WireFormat } from '../shared/respond.ts'
import { defaultOpenAIErrorBody } from './errors.ts'

export interface OpenAIExchange {
  id: string
  requestId: string
  created: number
  model: string
  includeUsage: boolean
}

const FINISH_REASON: Record<FinishKind, string> = { stop: 'stop', length: 'length', tool_calls: 'tool_calls' }

function usage(answer: Answer) {
  return {
    prompt_tokens: answer.inputTokens,
    completion_tokens: answer.outputTokens,
    total_tokens: answer.inputTokens + answer.outputTokens,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: answer.reasoningTokens },
  }
}

const data = (payload: string): string => `data: ${payload}\n\n`

function streamFrames(exchange: OpenAIExchange, answer: Answer): Frame[] {
  const usageNull = exchange.includeUsage ? { usage: null } : {}
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null): string =>
    data(
      JSON.stringify({
        id: exchange.id,
        object: 'chat.completion.chunk',
        created: exchange.created,
        model: exchange.model,
        choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
        ...usageNull,
      }),
    )
  const frames: Frame[] = []
  const meta = (text: string) => frames.push({ text, content: false })
  const content = (text: string) => frames.push({ text, content: true })
  const callHead = (index: number) => {
    const call = answer.toolCalls[index]
    return call && [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }]
  }

  // A pure tool-call answer announces its first call in the role chunk, as OpenAI does.
  const toolsOnly = answer.text === '' && answer.thinking === undefined && answer.toolCalls.length > 0
  if (answer.thinking !== undefined) meta(chunk({ role: 'assistant', content: null, reasoning_content: '' }))
  else if (toolsOnly) meta(chunk({ role: 'assistant', content: null, tool_calls: callHead(0) }))
  else meta(chunk({ role: 'assistant', content: '', refusal: null }))

  for (const piece of answer.thinkingPieces) content(chunk({ reasoning_content: piece }))
  for (const piece of answer.textPieces) content(chunk({ content: piece }))
  answer.toolCalls.forEach((call, index) => {
    if (index > 0 || !toolsOnly) meta(chunk({ tool_calls: callHead(index) }))
    for (const fragment of call.fragments) content(chunk({ tool_calls: [{ index, function: { arguments: fragment } }] }))
  })
  meta(chunk({}, FINISH_REASON[answer.finish]))
  if (exchange.includeUsage) {
    meta(
      data(
        JSON.stringify({
          id: exchange.id,
          object: 'chat.completion.chunk',
          created: exchange.created,
          model: exchange.model,
          choices: [],
          usage: usage(answer),
        }),
      ),
    )
  }
  meta(data('[DONE]'))
  return frames
}

function body(exchange: OpenAIExchange, answer: Answer) {
  const toolCalls = answer.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }))
  const message = {
    role: 'assistant',
    content: answer.text === '' && toolCalls.length > 0 ? null : answer.text,
    ...(answer.thinking === undefined ? {} : { reasoning_content: answer.thinking }),
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    refusal: null,
  }
  return {
    id: exchange.id,
    object: 'chat.completion',
    created: exchange.created,
    model: exchange.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: FINISH_REASON[answer.finish] }],
    usage: usage(answer),
  }
}

/** JSON response with OpenAI's headers. */
export function openaiJson(status: number, payload: unknown, requestId: string, headers: Record<string, string> = {}): Response {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload)
  return new Response(text, { status, headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers } })
}

/** The headers of a successful answer, streamed or not. */
export function openaiSuccessHeaders(requestId: string, stream: boolean): Record<string, string> {
  return stream
    ? { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': requestId }
    : { 'content-type': 'application/json', 'x-request-id': requestId }
}

export function openaiWire(exchange: OpenAIExchange): WireFormat {
  return {
    streamFrames: (answer) => streamFrames(exchange, answer),
    body: (answer) => body(exchange, answer),
    streamErrorFrame: () => data(JSON.stringify(defaultOpenAIErrorBody(500))),
    malformedFrame: () => data(`{"id":"${exchange.id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"`),
    overloadedResponse: () => openaiJson(500, defaultOpenAIErrorBody(500), exchange.requestId),
    statusResponse: (status, payload, headers) => openaiJson(status, payload ?? defaultOpenAIErrorBody(status), exchange.requestId, headers),
    successHeaders: (stream) => openaiSuccessHeaders(exchange.requestId, stream),
  }
}
