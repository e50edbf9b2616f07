// Canonical ChatRequest → Anthropic Messages request body (for an Anthropic upstream).
// Only fields the request carries are set, except the mandatory `max_tokens`.
import { jsonInstruction } from '../../chat/json-instruction.ts'
import { foldSystemMessages } from '../../chat/system-messages.ts'
import type { ChatRequest, Message, ResponseFormat, TextPart, ThinkingConfig, ToolChoice, ToolDef } from '../../chat/types.ts'
import { DEFAULT_MAX_TOKENS, DEFAULT_THINKING_BUDGET, MIN_THINKING_BUDGET, MIN_TOP_P_WITH_THINKING, THINKING_BUDGET_BY_EFFORT } from './defaults.ts'
import { type ContentBlock, compactContent, encodeMessages } from './message-encode.ts'

export function encodeAnthropicRequest(request: ChatRequest): Record<string, unknown> {
  const budget = request.thinking?.enabled ? thinkingBudget(request.thinking) : undefined
  const body: Record<string, unknown> = { model: request.model, max_tokens: maxTokens(request.maxTokens, budget) }
  // In-place system messages need a beta the upstream may lack: they join the system prompt.
  const { system: systemParts, messages } = foldSystemMessages(request)
  const system = encodeSystem(systemParts, request.responseFormat)
  if (system !== undefined) body.system = system
  body.messages = encodeMessages(messages)

  if (request.tools !== undefined && request.tools.length > 0) {
    body.tools = request.tools.map(encodeTool)
    const toolChoice = encodeToolChoice(request.toolChoice, request.parallelToolCalls)
    if (toolChoice !== undefined) body.tool_choice = toolChoice
  } else {
    const used = toolsUsedInHistory(messages)
    // Anthropic rejects tool_use/tool_result history without tool definitions: declare the
    // tools seen there, and forbid calling them since the client offered none.
    if (used.length > 0) {
      body.tools = used.map((name) => ({ name, input_schema: { type: 'object' } }))
      body.tool_choice = { type: 'none' }
    }
  }

  if (request.stop !== undefined) body.stop_sequences = request.stop
  // Thinking rejects any temperature/top_k and a top_p below 0.95; they are dropped.
  if (request.temperature !== undefined && budget === undefined) body.temperature = Math.min(1, Math.max(0, request.temperature))
  if (request.topP !== undefined && (budget === undefined || request.topP >= MIN_TOP_P_WITH_THINKING)) body.top_p = request.topP
  if (request.topK !== undefined && budget === undefined) body.top_k = request.topK
  if (budget !== undefined) body.thinking = { type: 'enabled', budget_tokens: budget }
  else if (request.thinking?.enabled === false) body.thinking = { type: 'disabled' }
  if (request.user !== undefined) body.metadata = { user_id: request.user }
  body.stream = request.stream
  return body
}

function encodeTool(tool: ToolDef): Record<string, unknown> {
  return {
    name: tool.name,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    // Anthropic insists on an object schema; OpenAI tools may omit parameters entirely.
    input_schema: tool.parameters.type === undefined ? { type: 'object', ...tool.parameters } : tool.parameters,
  }
}

function toolsUsedInHistory(messages: Message[]): string[] {
  const names = new Set<string>()
  for (const message of messages) {
    for (const part of message.parts) {
      if (part.type === 'tool_call') names.add(part.name)
      else if (part.type === 'tool_result' && part.name !== undefined) names.add(part.name)
    }
  }
  return [...names]
}

function thinkingBudget(thinking: ThinkingConfig): number {
  const wanted = thinking.budgetTokens ?? (thinking.effort === undefined ? DEFAULT_THINKING_BUDGET : THINKING_BUDGET_BY_EFFORT[thinking.effort])
  return Math.max(MIN_THINKING_BUDGET, wanted)
}

/**
 * Anthropic wants `budget_tokens < max_tokens`. When the client's limit does not leave
 * room, the budget is added on top, so the limit still applies to the visible answer.
 */
function maxTokens(requested: number | undefined, budget: number | undefined): number {
  const base = requested ?? DEFAULT_MAX_TOKENS
  return budget !== undefined && base <= budget ? budget + base : base
}

function encodeSystem(system: TextPart[], format: ResponseFormat | undefined): string | ContentBlock[] | undefined {
  const blocks: ContentBlock[] = system.filter((part) => part.text !== '').map((part) => ({ type: 'text', text: part.text }))
  const instruction = jsonInstruction(format)
  if (instruction !== undefined) blocks.push({ type: 'text', text: instruction })
  return blocks.length === 0 ? undefined : compactContent(blocks)
}

/** Anthropic rejects tool_choice without tools, so the caller only asks when tools exist. */
function encodeToolChoice(choice: ToolChoice | undefined, parallelToolCalls: boolean | undefined): Record<string, unknown> | undefined {
  const serial = parallelToolCalls === false ? { disable_parallel_tool_use: true } : {}
  switch (choice?.type) {
    case undefined:
      return parallelToolCalls === false ? { type: 'auto', ...serial } : undefined
    case 'auto':
      return { type: 'auto', ...serial }
    case 'required':
      return { type: 'any', ...serial }
    case 'tool':
      return { type: 'tool', name: choice.name, ...serial }
    case 'none':
      return { type: 'none' }
  }
}
