// An OpenAI Chat Completions request body → the canonical ChatRequest. Values are kept
// exactly (temperature 0 stays 0); fields the canonical shape cannot carry either have a
// documented loss or are refused with a 400 naming the field.
import type { ChatRequest, ResponseFormat, ThinkingConfig, ToolChoice, ToolDef } from '../../chat/types.ts'
import { badRequest } from '../../errors/gateway-error.ts'
import { compact } from './compact.ts'
import { decodeFunction, decodeLegacyFunctions } from './legacy-functions.ts'
import { decodeMessages } from './messages-decode.ts'
import { quoteInput } from '../../errors/echo.ts'
import { at, isRecord, type JsonObject, jsonReader } from '../../json/read.ts'

const read = jsonReader(badRequest)

export function decodeOpenAIRequest(body: unknown): ChatRequest {
  const request = read.record(body, 'request body')
  refuseUnconvertible(request)
  const model = read.string(request.model, 'model')
  const items = read.optionalArray(request, 'messages', '')
  if (!items || items.length === 0) throw badRequest('messages must be a non-empty array')
  const { system, messages } = decodeMessages(items)
  const legacy = decodeLegacyFunctions(request)
  const streamOptions = request.stream_options ?? undefined
  const includeUsage =
    streamOptions === undefined ? undefined : read.optionalBoolean(read.record(streamOptions, 'stream_options'), 'include_usage', 'stream_options')
  return compact<ChatRequest>({
    model,
    system,
    messages,
    tools: legacy?.tools ?? decodeTools(request),
    toolChoice: legacy?.toolChoice ?? decodeToolChoice(request.tool_choice),
    // A legacy function call is one call per answer.
    parallelToolCalls: legacy ? false : read.optionalBoolean(request, 'parallel_tool_calls', ''),
    // max_tokens is the legacy name; when both are given the current one wins.
    maxTokens: read.optionalInteger(request, 'max_completion_tokens', '', 1) ?? read.optionalInteger(request, 'max_tokens', '', 1),
    temperature: read.optionalNumber(request, 'temperature', ''),
    topP: read.optionalNumber(request, 'top_p', ''),
    topK: decodeTopK(request),
    stop: decodeStop(request.stop),
    seed: read.optionalInteger(request, 'seed', ''),
    presencePenalty: read.optionalNumber(request, 'presence_penalty', ''),
    frequencyPenalty: read.optionalNumber(request, 'frequency_penalty', ''),
    responseFormat: decodeResponseFormat(request.response_format),
    thinking: decodeReasoningEffort(read.optionalString(request, 'reasoning_effort', '')),
    stream: read.optionalBoolean(request, 'stream', '') ?? false,
    includeUsage,
    user: read.optionalString(request, 'user', ''),
    legacyFunctions: legacy ? true : undefined,
  })
}

/** Fields whose meaning cannot survive conversion: refusing beats silently ignoring them. */
function refuseUnconvertible(request: JsonObject): void {
  const n = read.optionalInteger(request, 'n', '', 1)
  if (n !== undefined && n > 1) throw badRequest('n must be 1: switchboard cannot convert requests for several choices')
}

function decodeTools(request: JsonObject): ToolDef[] | undefined {
  const items = read.optionalArray(request, 'tools', '')
  if (!items) return undefined
  return items.map((item, i) => {
    const path = `tools[${i}]`
    const tool = read.record(item, path)
    if (tool.type !== 'function') throw badRequest(`${path}.type must be "function" (got ${quoteInput(tool.type)})`)
    return decodeFunction(tool.function, `${path}.function`)
  })
}

/** Not OpenAI, but vLLM/Qwen-style servers accept it; there 0 and -1 mean "disabled". */
function decodeTopK(request: JsonObject): number | undefined {
  const topK = read.optionalInteger(request, 'top_k', '')
  return topK !== undefined && topK > 0 ? topK : undefined
}

function decodeToolChoice(value: unknown): ToolChoice | undefined {
  if (value === undefined || value === null) return undefined
  if (value === 'none' || value === 'auto' || value === 'required') return { type: value }
  if (isRecord(value) && value.type === 'function') {
    const fn = read.record(value.function, 'tool_choice.function')
    return { type: 'tool', name: read.string(fn.name, at('tool_choice.function', 'name')) }
  }
  throw badRequest('tool_choice must be "none", "auto", "required" or {"type":"function","function":{"name":…}}')
}

function decodeStop(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') return [value]
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.length === 0 ? undefined : value
  }
  throw badRequest('stop must be a string or an array of strings')
}

function decodeResponseFormat(value: unknown): ResponseFormat | undefined {
  if (value === undefined || value === null) return undefined
  const format = read.record(value, 'response_format')
  switch (format.type) {
    case 'text':
    case 'json_object':
      return { type: format.type }
    case 'json_schema': {
      const spec = read.record(format.json_schema, 'response_format.json_schema')
      const schema = spec.schema ?? {}
      if (!isRecord(schema)) throw badRequest('response_format.json_schema.schema must be a JSON Schema object')
      return compact<ResponseFormat>({
        type: 'json_schema',
        name: read.optionalString(spec, 'name', 'response_format.json_schema'),
        schema,
        strict: read.optionalBoolean(spec, 'strict', 'response_format.json_schema'),
      })
    }
    default:
      throw badRequest('response_format.type must be "text", "json_object" or "json_schema"')
  }
}

/**
 * The canonical effort scale has three steps; OpenAI's finer values map to the nearest. Shared
 * by both OpenAI dialects (`reasoning_effort` in Chat Completions, `reasoning.effort` in Responses).
 */
export function decodeReasoningEffort(value: unknown, field = 'reasoning_effort'): ThinkingConfig | undefined {
  switch (value) {
    case undefined:
    case null:
      return undefined
    case 'none':
      return { enabled: false }
    case 'minimal':
    case 'low':
      return { enabled: true, effort: 'low' }
    case 'medium':
      return { enabled: true, effort: 'medium' }
    case 'high':
    case 'xhigh':
      return { enabled: true, effort: 'high' }
    default:
      throw badRequest(`${field} must be one of none, minimal, low, medium, high, xhigh`)
  }
}
