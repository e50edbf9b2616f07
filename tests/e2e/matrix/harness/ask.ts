// A dialect-neutral description of what a test asks, and the request body each client
// dialect sends for it (the plain JSON the official SDKs put on the wire).
import type { Dialect } from '../../../../src/dialects/types.ts'

export interface ToolSpec {
  name: string
  description: string
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>
}

export type Image = { mediaType: string; data: string } | { url: string }

export type Turn = { role: 'user'; text: string; image?: Image } | { role: 'assistant'; text: string }

export interface ToolCall {
  id: string
  name: string
  args: Record<string, unknown>
}

/** The client's previous answer (in its own dialect) plus the results of its tool calls. */
export interface Continuation {
  assistant: unknown
  results: Array<{ call: ToolCall; result: Record<string, unknown> }>
}

export interface Ask {
  model: string
  system?: string
  /** OpenAI only: send the system text as a `developer` message. */
  developer?: boolean
  turns: Turn[]
  tools?: ToolSpec[]
  temperature?: number
  topP?: number
  /** OpenAI has no top_k; OpenAI-compatible servers such as vLLM and Qwen accept it. */
  topK?: number
  stop?: string[]
  maxTokens?: number
  /** Force a call of this tool. */
  forceTool?: string
  /** At most one tool call per answer (OpenAI parallel_tool_calls: false, Anthropic disable_parallel_tool_use; Gemini has no such switch). */
  serialTools?: boolean
  /** Ask for a JSON object answer (OpenAI response_format, Gemini responseMimeType; Anthropic has none). */
  json?: boolean
  /** Ask for reasoning: OpenAI `reasoning_effort: high`, Anthropic and Gemini a budget of THINKING_BUDGET. */
  thinking?: boolean
  continuation?: Continuation
}

export const THINKING_BUDGET = 2048

/** Non-ASCII in three scripts, a combining emoji sequence and typographic punctuation. */
export const TEXT = 'Grüße aus Zürich 👋🏽 日本語 — naïve café ✓'

/** A 1×1 transparent PNG. */
export const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII='

export const WEATHER_TOOL: ToolSpec = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'City name' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    required: ['city'],
  },
}

export const TIME_TOOL: ToolSpec = {
  name: 'get_time',
  description: 'Local time in a time zone',
  parameters: { type: 'object', properties: { tz: { type: 'string' } }, required: ['tz'] },
}

/** What the fakes answer with in the tool tests: two parallel calls, tricky characters in the arguments. */
export const SCRIPTED_CALLS = [
  { name: 'get_weather', args: { city: 'Zürich', unit: 'celsius', note: 'say "grüezi" 👋\n' } },
  { name: 'get_time', args: { tz: 'Europe/Zurich' } },
]

export const TOOL_RESULTS: Record<string, Record<string, unknown>> = {
  get_weather: { temp_c: 21, sky: 'sonnig ☀️' },
  get_time: { time: '12:00' },
}

export function nativeBody(dialect: Dialect, ask: Ask, stream: boolean): Record<string, unknown> {
  switch (dialect) {
    case 'openai':
      return openaiBody(ask, stream)
    case 'anthropic':
      return anthropicBody(ask, stream)
    case 'gemini':
      return geminiBody(ask)
    case 'responses':
      return responsesBody(ask, stream)
  }
}

const defined = (entries: Record<string, unknown>) => Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined))

function openaiBody(ask: Ask, stream: boolean): Record<string, unknown> {
  const messages: unknown[] = []
  if (ask.system !== undefined) messages.push({ role: ask.developer ? 'developer' : 'system', content: ask.system })
  for (const turn of ask.turns) {
    if (turn.role === 'assistant' || turn.image === undefined) messages.push({ role: turn.role, content: turn.text })
    else {
      const url = 'url' in turn.image ? turn.image.url : `data:${turn.image.mediaType};base64,${turn.image.data}`
      messages.push({
        role: 'user',
        content: [
          { type: 'text', text: turn.text },
          { type: 'image_url', image_url: { url } },
        ],
      })
    }
  }
  if (ask.continuation) {
    messages.push(ask.continuation.assistant)
    for (const { call, result } of ask.continuation.results) messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) })
  }
  return defined({
    model: ask.model,
    messages,
    tools: ask.tools?.map((tool) => ({ type: 'function', function: tool })),
    tool_choice: ask.forceTool === undefined ? undefined : { type: 'function', function: { name: ask.forceTool } },
    parallel_tool_calls: ask.serialTools ? false : undefined,
    response_format: ask.json ? { type: 'json_object' } : undefined,
    reasoning_effort: ask.thinking ? 'high' : undefined,
    temperature: ask.temperature,
    top_p: ask.topP,
    top_k: ask.topK,
    stop: ask.stop,
    max_tokens: ask.maxTokens,
    ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  })
}

/** The Responses API has no stop sequences and no top_k: those asks are left out (tests skip them). */
function responsesBody(ask: Ask, stream: boolean): Record<string, unknown> {
  const input: unknown[] = []
  if (ask.system !== undefined && ask.developer) input.push({ role: 'developer', content: ask.system })
  for (const turn of ask.turns) {
    if (turn.role === 'assistant' || turn.image === undefined) input.push({ role: turn.role, content: turn.text })
    else {
      const url = 'url' in turn.image ? turn.image.url : `data:${turn.image.mediaType};base64,${turn.image.data}`
      input.push({
        role: 'user',
        content: [
          { type: 'input_text', text: turn.text },
          { type: 'input_image', image_url: url, detail: 'auto' },
        ],
      })
    }
  }
  if (ask.continuation) {
    input.push(...(ask.continuation.assistant as unknown[]))
    for (const { call, result } of ask.continuation.results) input.push({ type: 'function_call_output', call_id: call.id, output: JSON.stringify(result) })
  }
  return defined({
    model: ask.model,
    instructions: ask.system !== undefined && !ask.developer ? ask.system : undefined,
    input,
    tools: ask.tools?.map((tool) => ({ type: 'function', name: tool.name, description: tool.description, parameters: tool.parameters, strict: false })),
    tool_choice: ask.forceTool === undefined ? undefined : { type: 'function', name: ask.forceTool },
    parallel_tool_calls: ask.serialTools ? false : undefined,
    text: ask.json ? { format: { type: 'json_object' } } : undefined,
    reasoning: ask.thinking ? { effort: 'high' } : undefined,
    temperature: ask.temperature,
    top_p: ask.topP,
    max_output_tokens: ask.maxTokens,
    ...(stream ? { stream: true } : {}),
  })
}

/** Anthropic clients must always send max_tokens; this one is the client's own choice. */
export const ANTHROPIC_CLIENT_MAX_TOKENS = 1024

function anthropicBody(ask: Ask, stream: boolean): Record<string, unknown> {
  const messages: unknown[] = ask.turns.map((turn) => {
    if (turn.role === 'assistant' || turn.image === undefined) return { role: turn.role, content: turn.text }
    const source = 'url' in turn.image ? { type: 'url', url: turn.image.url } : { type: 'base64', media_type: turn.image.mediaType, data: turn.image.data }
    return {
      role: 'user',
      content: [
        { type: 'text', text: turn.text },
        { type: 'image', source },
      ],
    }
  })
  if (ask.continuation) {
    messages.push(ask.continuation.assistant)
    messages.push({
      role: 'user',
      content: ask.continuation.results.map(({ call, result }) => ({ type: 'tool_result', tool_use_id: call.id, content: JSON.stringify(result) })),
    })
  }
  return defined({
    model: ask.model,
    // With thinking, max_tokens must leave room above the budget.
    max_tokens: ask.maxTokens ?? (ask.thinking ? 2 * THINKING_BUDGET : ANTHROPIC_CLIENT_MAX_TOKENS),
    system: ask.system,
    messages,
    tools: ask.tools?.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.parameters })),
    tool_choice:
      ask.forceTool === undefined ? undefined : { type: 'tool', name: ask.forceTool, ...(ask.serialTools ? { disable_parallel_tool_use: true } : {}) },
    thinking: ask.thinking ? { type: 'enabled', budget_tokens: THINKING_BUDGET } : undefined,
    temperature: ask.temperature,
    top_p: ask.topP,
    top_k: ask.topK,
    stop_sequences: ask.stop,
    ...(stream ? { stream: true } : {}),
  })
}

/** The Gemini body (the model and the stream flag go in the URL). Tool schemas use Gemini's own Schema type. */
function geminiBody(ask: Ask): Record<string, unknown> {
  const contents: unknown[] = ask.turns.map((turn) => {
    const parts: unknown[] = [{ text: turn.text }]
    if (turn.role === 'user' && turn.image !== undefined) {
      parts.push(
        'url' in turn.image
          ? { fileData: { mimeType: 'image/png', fileUri: turn.image.url } }
          : { inlineData: { mimeType: turn.image.mediaType, data: turn.image.data } },
      )
    }
    return { role: turn.role === 'assistant' ? 'model' : 'user', parts }
  })
  if (ask.continuation) {
    contents.push(ask.continuation.assistant)
    contents.push({
      role: 'user',
      // Gemini ties a response to its call by name; the id goes back only when the call had one.
      parts: ask.continuation.results.map(({ call, result }) => ({
        functionResponse: { ...(call.id === '' ? {} : { id: call.id }), name: call.name, response: result },
      })),
    })
  }
  const generationConfig = defined({
    temperature: ask.temperature,
    topP: ask.topP,
    topK: ask.topK,
    stopSequences: ask.stop,
    maxOutputTokens: ask.maxTokens,
    responseMimeType: ask.json ? 'application/json' : undefined,
    thinkingConfig: ask.thinking ? { thinkingBudget: THINKING_BUDGET, includeThoughts: true } : undefined,
  })
  return defined({
    contents,
    systemInstruction: ask.system === undefined ? undefined : { parts: [{ text: ask.system }] },
    tools: ask.tools && [
      { functionDeclarations: ask.tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: toGeminiSchema(tool.parameters) })) },
    ],
    toolConfig: ask.forceTool === undefined ? undefined : { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [ask.forceTool] } },
    generationConfig: Object.keys(generationConfig).length > 0 ? generationConfig : undefined,
  })
}

/** JSON Schema → Gemini Schema (upper-case types), the way Gemini SDK users write tool parameters. */
export function toGeminiSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'type' && typeof value === 'string') out.type = value.toUpperCase()
    else if (key === 'properties' && typeof value === 'object' && value !== null) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toGeminiSchema(sub as Record<string, unknown>)]))
    } else out[key] = value
  }
  return out
}
