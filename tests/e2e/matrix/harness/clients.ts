// The three official SDKs as a test client would use them, each reduced to the same
// answer shape (text, parsed tool calls, the dialect's own finish reason, usage) plus the
// assistant message to send back in that dialect. Raw fetch helpers check the bytes.
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI, type Content, type GenerateContentParameters, type GenerateContentResponse, type Part, type Tool, type ToolConfig } from '@google/genai'
import OpenAI from 'openai'
import type { Dialect } from '../../../../src/dialects/types.ts'
import { post, type TestGateway } from '../../../helpers/gateway.ts'
import { nativeBody, type Ask, type ToolCall } from './ask.ts'

export interface Answer {
  text: string
  /** Reasoning shown to the client (OpenAI `reasoning_content`, Anthropic thinking blocks, Gemini thought parts). */
  thinking: string
  calls: ToolCall[]
  /** The finish reason in the client's dialect (`stop`, `end_turn`, `STOP`, …). */
  finish: string
  usage: { input: number; output: number; total: number }
  /** The assistant turn to send back, in the client's dialect. */
  assistant: unknown
}

export function chat(dialect: Dialect, gw: TestGateway, ask: Ask, stream: boolean): Promise<Answer> {
  switch (dialect) {
    case 'openai':
      return stream ? openaiStream(gw, ask) : openaiWhole(gw, ask)
    case 'anthropic':
      return anthropicChat(gw, ask, stream)
    case 'gemini':
      return geminiChat(gw, ask, stream)
    case 'responses':
      return responsesChat(gw, ask, stream)
  }
}

/** The finish reason each dialect reports for a completed, cut or tool-calling answer. */
export const FINISH: Record<Dialect, Record<'stop' | 'length' | 'tool_calls' | 'content_filter', string>> = {
  openai: { stop: 'stop', length: 'length', tool_calls: 'tool_calls', content_filter: 'content_filter' },
  anthropic: { stop: 'end_turn', length: 'max_tokens', tool_calls: 'tool_use', content_filter: 'refusal' },
  gemini: { stop: 'STOP', length: 'MAX_TOKENS', tool_calls: 'STOP', content_filter: 'SAFETY' },
  // The Responses API has a status, and for an incomplete one a reason.
  responses: { stop: 'completed', length: 'incomplete:max_output_tokens', tool_calls: 'completed', content_filter: 'incomplete:content_filter' },
}

const openaiClient = (gw: TestGateway) => new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.key, maxRetries: 0 })

function parseArgs(text: string): Record<string, unknown> {
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>)
}

function openaiAssistant(text: string, calls: ToolCall[]): unknown {
  if (calls.length === 0) return { role: 'assistant', content: text }
  return {
    role: 'assistant',
    content: text === '' ? null : text,
    tool_calls: calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.args) } })),
  }
}

async function openaiWhole(gw: TestGateway, ask: Ask): Promise<Answer> {
  const body = nativeBody('openai', ask, false) as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming
  const res = await openaiClient(gw).chat.completions.create(body)
  const choice = res.choices[0]
  if (!choice) throw new Error('no choice in the answer')
  const calls = (choice.message.tool_calls ?? []).flatMap((call) =>
    call.type === 'function' ? [{ id: call.id, name: call.function.name, args: parseArgs(call.function.arguments) }] : [],
  )
  const text = choice.message.content ?? ''
  const usage = res.usage
  return {
    text,
    thinking: (choice.message as { reasoning_content?: string }).reasoning_content ?? '',
    calls,
    finish: choice.finish_reason,
    usage: { input: usage?.prompt_tokens ?? 0, output: usage?.completion_tokens ?? 0, total: usage?.total_tokens ?? 0 },
    assistant: openaiAssistant(text, calls),
  }
}

async function openaiStream(gw: TestGateway, ask: Ask): Promise<Answer> {
  const body = nativeBody('openai', ask, true) as unknown as OpenAI.ChatCompletionCreateParamsStreaming
  const stream = await openaiClient(gw).chat.completions.create(body)
  let text = ''
  let thinking = ''
  let finish = ''
  let usage = { input: 0, output: 0, total: 0 }
  const calls: Array<{ id: string; name: string; args: string }> = []
  for await (const chunk of stream) {
    if (chunk.usage) usage = { input: chunk.usage.prompt_tokens, output: chunk.usage.completion_tokens, total: chunk.usage.total_tokens }
    const choice = chunk.choices[0]
    if (!choice) continue
    text += choice.delta.content ?? ''
    thinking += (choice.delta as { reasoning_content?: string }).reasoning_content ?? ''
    for (const delta of choice.delta.tool_calls ?? []) {
      const call = (calls[delta.index] ??= { id: '', name: '', args: '' })
      if (delta.id) call.id = delta.id
      if (delta.function?.name) call.name += delta.function.name
      call.args += delta.function?.arguments ?? ''
    }
    if (choice.finish_reason) finish = choice.finish_reason
  }
  const parsed = calls.map((call) => ({ id: call.id, name: call.name, args: parseArgs(call.args) }))
  return { text, thinking, calls: parsed, finish, usage, assistant: openaiAssistant(text, parsed) }
}

/** `responses.create`, or `responses.stream(…).finalResponse()`, which checks the event order itself. */
async function responsesChat(gw: TestGateway, ask: Ask, stream: boolean): Promise<Answer> {
  const body = nativeBody('responses', ask, false) as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming
  const client = openaiClient(gw)
  const res = stream ? await client.responses.stream({ ...body, stream: true }).finalResponse() : await client.responses.create(body)
  let thinking = ''
  const calls: ToolCall[] = []
  const assistant: unknown[] = []
  for (const item of res.output) {
    if (item.type === 'reasoning') thinking += item.summary.map((part) => part.text).join('')
    else if (item.type === 'function_call') {
      calls.push({ id: item.call_id, name: item.name, args: parseArgs(item.arguments) })
      assistant.push({ type: 'function_call', call_id: item.call_id, name: item.name, arguments: item.arguments })
    } else if (item.type === 'message') {
      const text = item.content.map((part) => (part.type === 'output_text' ? part.text : '')).join('')
      assistant.push({ role: 'assistant', content: [{ type: 'output_text', text }] })
    }
  }
  const usage = res.usage
  return {
    text: res.output_text,
    thinking,
    calls,
    finish: res.status === 'incomplete' ? `incomplete:${res.incomplete_details?.reason}` : String(res.status),
    usage: { input: usage?.input_tokens ?? 0, output: usage?.output_tokens ?? 0, total: usage?.total_tokens ?? 0 },
    assistant,
  }
}

async function anthropicChat(gw: TestGateway, ask: Ask, stream: boolean): Promise<Answer> {
  const client = new Anthropic({ baseURL: gw.url, apiKey: gw.key, maxRetries: 0 })
  const body = nativeBody('anthropic', ask, false) as unknown as Anthropic.MessageCreateParamsNonStreaming
  const message = stream ? await client.messages.stream(body).finalMessage() : await client.messages.create(body)
  const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('')
  const thinking = message.content.flatMap((block) => (block.type === 'thinking' ? [block.thinking] : [])).join('')
  const calls = message.content.flatMap((block) =>
    block.type === 'tool_use' ? [{ id: block.id, name: block.name, args: block.input as Record<string, unknown> }] : [],
  )
  const content = message.content.flatMap((block): Array<Record<string, unknown>> => {
    if (block.type === 'text') return [{ type: 'text', text: block.text }]
    if (block.type === 'tool_use') return [{ type: 'tool_use', id: block.id, name: block.name, input: block.input }]
    return []
  })
  const { input_tokens: input, output_tokens: output } = message.usage
  return {
    text,
    thinking,
    calls,
    finish: message.stop_reason ?? '',
    usage: { input, output, total: input + output },
    assistant: { role: 'assistant', content },
  }
}

function geminiParams(ask: Ask): GenerateContentParameters {
  const body = nativeBody('gemini', ask, false)
  return {
    model: ask.model,
    contents: body.contents as Content[],
    config: {
      ...(body.generationConfig as Record<string, unknown> | undefined),
      ...(body.systemInstruction === undefined ? {} : { systemInstruction: body.systemInstruction as Content }),
      ...(body.tools === undefined ? {} : { tools: body.tools as Tool[] }),
      ...(body.toolConfig === undefined ? {} : { toolConfig: body.toolConfig as ToolConfig }),
    },
  }
}

async function geminiChat(gw: TestGateway, ask: Ask, stream: boolean): Promise<Answer> {
  const client = new GoogleGenAI({ apiKey: gw.key, httpOptions: { baseUrl: gw.url } })
  const params = geminiParams(ask)
  const chunks: GenerateContentResponse[] = stream ? [] : [await client.models.generateContent(params)]
  if (stream) for await (const chunk of await client.models.generateContentStream(params)) chunks.push(chunk)
  let text = ''
  let thinking = ''
  let finish = ''
  let usage = { input: 0, output: 0, total: 0 }
  const calls: ToolCall[] = []
  for (const chunk of chunks) {
    const candidate = chunk.candidates?.[0]
    for (const part of candidate?.content?.parts ?? []) {
      if (part.text !== undefined && part.thought === true) thinking += part.text
      else if (part.text !== undefined) text += part.text
      if (part.functionCall) calls.push({ id: part.functionCall.id ?? '', name: part.functionCall.name ?? '', args: part.functionCall.args ?? {} })
    }
    if (candidate?.finishReason) finish = candidate.finishReason
    const meta = chunk.usageMetadata
    if (meta) usage = { input: meta.promptTokenCount ?? 0, output: meta.candidatesTokenCount ?? 0, total: meta.totalTokenCount ?? 0 }
  }
  const parts: Part[] = [
    ...(text === '' ? [] : [{ text }]),
    ...calls.map((call) => ({ functionCall: { ...(call.id === '' ? {} : { id: call.id }), name: call.name, args: call.args } })),
  ]
  return { text, thinking, calls, finish, usage, assistant: { role: 'model', parts } }
}

/** The same request as raw HTTP, for checks on status codes, headers and stream bytes. */
export function rawChat(dialect: Dialect, gw: TestGateway, ask: Ask, stream: boolean): Promise<Response> {
  const body = nativeBody(dialect, ask, stream)
  const json = { 'content-type': 'application/json' }
  switch (dialect) {
    case 'openai':
      return post(gw, '/v1/chat/completions', body)
    case 'anthropic':
      return fetch(`${gw.url}/v1/messages`, {
        method: 'POST',
        headers: { ...json, 'x-api-key': gw.key, 'anthropic-version': '2023-06-01' },
        body: JSON.stringify(body),
      })
    case 'gemini': {
      const method = stream ? 'streamGenerateContent?alt=sse' : 'generateContent'
      return fetch(`${gw.url}/v1beta/models/${ask.model}:${method}`, {
        method: 'POST',
        headers: { ...json, 'x-goog-api-key': gw.key },
        body: JSON.stringify(body),
      })
    }
    case 'responses':
      return fetch(`${gw.url}/v1/responses`, { method: 'POST', headers: { ...json, authorization: `Bearer ${gw.key}` }, body: JSON.stringify(body) })
  }
}

export interface SseFrame {
  event?: string
  data: string
}

/** Splits a complete SSE body into frames (the gateway writes `\n` line ends). */
export function sseFrames(text: string): SseFrame[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const frame: SseFrame = { data: '' }
      const data: string[] = []
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) frame.event = line.slice(6).trim()
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart())
      }
      frame.data = data.join('\n')
      return frame
    })
}

/** The message of an error body in any dialect (OpenAI/Gemini `error.message`, Anthropic `error.message` under `type:error`). */
export function errorMessage(body: unknown): string {
  const error = (body as { error?: { message?: unknown } } | undefined)?.error
  return typeof error?.message === 'string' ? error.message : ''
}
