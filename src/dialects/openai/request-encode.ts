// The canonical ChatRequest → the body sent to an OpenAI-compatible upstream. Only fields
// the request has are set: no defaults are invented (an absent temperature stays absent).
// Losses (documented): `topK` (OpenAI has none), thinking budgets (only an effort level
// exists), developer vs system role (everything is `system`).
import type { ChatRequest, ResponseFormat, ThinkingConfig, ToolChoice } from '../../chat/types.ts'
import { compact } from './compact.ts'
import { encodeMessages } from './messages-encode.ts'

export function encodeOpenAIRequest(request: ChatRequest): Record<string, unknown> {
  const effort = reasoningEffort(request.thinking)
  return compact({
    model: request.model,
    messages: encodeMessages(request),
    tools: request.tools?.map((tool) => ({
      type: 'function',
      function: compact({ name: tool.name, description: tool.description, parameters: tool.parameters }),
    })),
    tool_choice: request.toolChoice && encodeToolChoice(request.toolChoice),
    parallel_tool_calls: request.parallelToolCalls,
    // Reasoning models refuse the legacy `max_tokens`; older compatible servers only know it.
    [effort === undefined ? 'max_tokens' : 'max_completion_tokens']: request.maxTokens,
    temperature: request.temperature,
    top_p: request.topP,
    stop: request.stop,
    seed: request.seed,
    presence_penalty: request.presencePenalty,
    frequency_penalty: request.frequencyPenalty,
    response_format: request.responseFormat && encodeResponseFormat(request.responseFormat),
    reasoning_effort: effort,
    // Always ask for the usage chunk, whatever the client asked: the gateway reports usage.
    ...(request.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
    user: request.user,
  })
}

function encodeToolChoice(choice: ToolChoice): unknown {
  return choice.type === 'tool' ? { type: 'function', function: { name: choice.name } } : choice.type
}

function encodeResponseFormat(format: ResponseFormat): unknown {
  if (format.type !== 'json_schema') return { type: format.type }
  // OpenAI requires a schema name; clients of other dialects never give one.
  return {
    type: 'json_schema',
    json_schema: compact({ name: format.name ?? 'response', schema: format.schema, strict: format.strict }),
  }
}

/** An explicit effort wins; a token budget maps to the nearest effort level. */
function reasoningEffort(thinking: ThinkingConfig | undefined): 'low' | 'medium' | 'high' | undefined {
  if (!thinking?.enabled) return undefined
  if (thinking.effort) return thinking.effort
  if (thinking.budgetTokens === undefined) return 'medium'
  if (thinking.budgetTokens <= 1024) return 'low'
  if (thinking.budgetTokens <= 8192) return 'medium'
  return 'high'
}
