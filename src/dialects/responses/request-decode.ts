// A Responses API request body → the canonical ChatRequest. Values are kept exactly
// (temperature 0 stays 0). `store` and `previous_response_id` are the route's business
// (src/responses/), done before this runs. Losses (documented): non-function tools
// (web search, file search, computer use…) are left out, since no converted upstream runs them.
import { decodeReasoningEffort } from '../openai/request-decode.ts'
import type { ChatRequest, ResponseFormat, ThinkingConfig, ToolChoice, ToolDef } from '../../chat/types.ts'
import { quoteInput } from '../../errors/echo.ts'
import { badRequest } from '../../errors/gateway-error.ts'
import { compact } from '../openai/compact.ts'
import { isRecord, type JsonObject, at, jsonReader } from '../../json/read.ts'
import { decodeInput } from './input-decode.ts'

const read = jsonReader(badRequest)

export function decodeResponsesRequest(body: unknown): ChatRequest {
  const request = read.record(body, 'request body')
  const { system, messages } = decodeInput(request.input)
  const instructions = read.optionalString(request, 'instructions', '')
  return compact<ChatRequest>({
    model: read.string(request.model, at('', 'model')),
    system: instructions ? [{ type: 'text', text: instructions }, ...system] : system,
    messages,
    tools: decodeTools(request),
    toolChoice: decodeToolChoice(request.tool_choice),
    parallelToolCalls: read.optionalBoolean(request, 'parallel_tool_calls', ''),
    maxTokens: read.optionalInteger(request, 'max_output_tokens', '', 1),
    temperature: read.optionalNumber(request, 'temperature', ''),
    topP: read.optionalNumber(request, 'top_p', ''),
    responseFormat: decodeTextFormat(request.text),
    thinking: decodeReasoning(request.reasoning),
    stream: read.optionalBoolean(request, 'stream', '') ?? false,
    user: sessionOf(request),
  })
}

/** The client's own user or conversation id, for sticky sessions. */
export function sessionOf(request: JsonObject): string | undefined {
  for (const key of ['safety_identifier', 'user', 'prompt_cache_key']) {
    const value = request[key]
    if (typeof value === 'string' && value !== '') return value
  }
  return undefined
}

function decodeTools(request: JsonObject): ToolDef[] | undefined {
  const items = read.optionalArray(request, 'tools', '')
  if (!items) return undefined
  const tools = items.flatMap((item, i): ToolDef[] => {
    const path = `tools[${i}]`
    const tool = read.record(item, path)
    if (tool.type !== 'function') return []
    const parameters = tool.parameters ?? { type: 'object', properties: {} }
    if (!isRecord(parameters)) throw badRequest(`${path}.parameters must be a JSON Schema object`)
    return [compact<ToolDef>({ name: read.string(tool.name, at(path, 'name')), description: read.optionalString(tool, 'description', path), parameters })]
  })
  return tools.length === 0 ? undefined : tools
}

function decodeToolChoice(value: unknown): ToolChoice | undefined {
  if (value === undefined || value === null) return undefined
  if (value === 'none' || value === 'auto' || value === 'required') return { type: value }
  if (isRecord(value) && value.type === 'function') return { type: 'tool', name: read.string(value.name, at('tool_choice', 'name')) }
  throw badRequest(`tool_choice must be "none", "auto", "required" or {"type":"function","name":…} (got ${quoteInput(value)})`)
}

function decodeTextFormat(value: unknown): ResponseFormat | undefined {
  if (value === undefined || value === null) return undefined
  const text = read.record(value, 'text')
  if (text.format === undefined || text.format === null) return undefined
  const format = read.record(text.format, 'text.format')
  switch (format.type) {
    case 'text':
    case 'json_object':
      return { type: format.type }
    case 'json_schema': {
      const schema = format.schema ?? {}
      if (!isRecord(schema)) throw badRequest('text.format.schema must be a JSON Schema object')
      return compact<ResponseFormat>({
        type: 'json_schema',
        name: read.optionalString(format, 'name', 'text.format'),
        schema,
        strict: read.optionalBoolean(format, 'strict', 'text.format') ?? undefined,
      })
    }
    default:
      throw badRequest('text.format.type must be "text", "json_object" or "json_schema"')
  }
}

/** The canonical effort scale has three steps; the finer Responses values map to the nearest. */
function decodeReasoning(value: unknown): ThinkingConfig | undefined {
  if (value === undefined || value === null) return undefined
  return decodeReasoningEffort(read.record(value, 'reasoning').effort, 'reasoning.effort')
}
