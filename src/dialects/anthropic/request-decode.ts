// Anthropic Messages request body → canonical ChatRequest. Strict about the shapes it
// converts (400 naming the field), tolerant of fields it has no use for (cache_control,
// service_tier, …), which are dropped.
import type { ChatRequest, ThinkingConfig, ToolChoice, ToolDef } from '../../chat/types.ts'
import { badRequest } from '../../errors/gateway-error.ts'
import type { DecodeRequestContext } from '../types.ts'
import { decodeMessages, decodeSystemText } from './message-decode.ts'
import { quoteInput } from '../../errors/echo.ts'
import { jsonReader } from '../../json/read.ts'

const read = jsonReader(badRequest)

export function decodeAnthropicRequest(body: unknown, context: DecodeRequestContext): ChatRequest {
  const root = read.record(body, 'body')
  const model = read.optional(root.model, 'model', read.string) ?? context.model
  if (model === undefined || model === '') throw badRequest('model is required')
  const request: ChatRequest = {
    model,
    system: decodeSystemText(root.system, 'system'),
    messages: decodeMessages(root.messages),
    stream: read.optional(root.stream, 'stream', read.boolean) ?? context.stream ?? false,
  }

  const tools = read.optional(root.tools, 'tools', decodeTools)
  if (tools !== undefined) request.tools = tools
  if (root.tool_choice !== undefined && root.tool_choice !== null) decodeToolChoice(root.tool_choice, request)

  const maxTokens = read.optional(root.max_tokens, 'max_tokens', (value, path) => read.integer(value, path, 1))
  if (maxTokens !== undefined) request.maxTokens = maxTokens
  const temperature = read.optional(root.temperature, 'temperature', read.number)
  if (temperature !== undefined) request.temperature = temperature
  const topP = read.optional(root.top_p, 'top_p', read.number)
  if (topP !== undefined) request.topP = topP
  const topK = read.optional(root.top_k, 'top_k', (value, path) => read.integer(value, path, 0))
  if (topK !== undefined) request.topK = topK
  const stop = read.optional(root.stop_sequences, 'stop_sequences', (value, path) =>
    read.array(value, path).map((item, i) => read.string(item, `${path}[${i}]`)),
  )
  if (stop !== undefined) request.stop = stop
  const thinking = read.optional(root.thinking, 'thinking', decodeThinking)
  if (thinking !== undefined) request.thinking = thinking
  const metadata = read.optional(root.metadata, 'metadata', read.record)
  const user = read.optional(metadata?.user_id, 'metadata.user_id', read.string)
  if (user !== undefined) request.user = user
  return request
}

function decodeTools(value: unknown, path: string): ToolDef[] {
  return read.array(value, path).map((item, i) => {
    const toolPath = `${path}[${i}]`
    const tool = read.record(item, toolPath)
    if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
      throw badRequest(`${toolPath}: server tool type ${quoteInput(tool.type)} is not supported; only client tools (name, description, input_schema) are`)
    }
    const def: ToolDef = { name: read.string(tool.name, `${toolPath}.name`), parameters: read.record(tool.input_schema, `${toolPath}.input_schema`) }
    const description = read.optional(tool.description, `${toolPath}.description`, read.string)
    if (description !== undefined) def.description = description
    return def
  })
}

function decodeToolChoice(value: unknown, request: ChatRequest): void {
  const choice = read.record(value, 'tool_choice')
  const type = read.string(choice.type, 'tool_choice.type')
  let toolChoice: ToolChoice
  switch (type) {
    case 'auto':
    case 'none':
      toolChoice = { type }
      break
    case 'any':
      toolChoice = { type: 'required' }
      break
    case 'tool':
      toolChoice = { type: 'tool', name: read.string(choice.name, 'tool_choice.name') }
      break
    default:
      throw badRequest(`tool_choice.type must be "auto", "any", "tool" or "none", got ${quoteInput(type)}`)
  }
  request.toolChoice = toolChoice
  if (read.optional(choice.disable_parallel_tool_use, 'tool_choice.disable_parallel_tool_use', read.boolean) === true) {
    request.parallelToolCalls = false
  }
}

function decodeThinking(value: unknown, path: string): ThinkingConfig {
  const thinking = read.record(value, path)
  const type = read.string(thinking.type, `${path}.type`)
  switch (type) {
    case 'enabled':
      return { enabled: true, budgetTokens: read.integer(thinking.budget_tokens, `${path}.budget_tokens`, 1) }
    case 'adaptive':
      // The model picks its own budget; other targets get their default.
      return { enabled: true }
    case 'disabled':
      return { enabled: false }
    default:
      throw badRequest(`${path}.type must be "enabled", "adaptive" or "disabled", got ${quoteInput(type)}`)
  }
}
