// Canonical ChatRequest → Gemini GenerateContentRequest (the model goes in the URL).
// Only fields the request has are sent: no defaults are injected.
import type { ChatRequest, JsonSchema, ThinkingConfig, ToolChoice } from '../../chat/types.ts'
import { foldSystemMessages } from '../../chat/system-messages.ts'
import { badRequest } from '../../errors/gateway-error.ts'
import { cleanSchema } from './clean-schema.ts'
import { encodeMessages } from './contents-encode.ts'
import { isRecord, type JsonObject } from '../../json/read.ts'

const BUDGET_BY_EFFORT = { low: 1024, medium: 8192, high: 24576 } as const

export function encodeRequest(request: ChatRequest): Record<string, unknown> {
  // Gemini contents have no system role: mid-conversation system text joins systemInstruction.
  const folded = foldSystemMessages(request)
  const contents = encodeMessages(folded.messages)
  if (contents.length === 0) throw badRequest('the request has no messages with content to send')
  const out: Record<string, unknown> = { contents }
  const system = folded.system.filter((part) => part.text !== '').map((part) => ({ text: part.text }))
  if (system.length > 0) out.systemInstruction = { parts: system }
  if (request.tools !== undefined && request.tools.length > 0) {
    out.tools = [{ functionDeclarations: request.tools.map(encodeDeclaration) }]
    if (request.toolChoice !== undefined) out.toolConfig = { functionCallingConfig: encodeToolChoice(request.toolChoice) }
  }
  const generationConfig = encodeGenerationConfig(request)
  if (Object.keys(generationConfig).length > 0) out.generationConfig = generationConfig
  return out
}

function encodeDeclaration(tool: NonNullable<ChatRequest['tools']>[number]): JsonObject {
  const declaration: JsonObject = { name: tool.name }
  if (tool.description !== undefined && tool.description !== '') declaration.description = tool.description
  const parameters = toolParameters(tool.parameters)
  if (parameters !== undefined) declaration.parameters = parameters
  return declaration
}

/** Gemini rejects an OBJECT with no properties, so a tool without parameters sends none. */
function toolParameters(schema: JsonSchema): JsonObject | undefined {
  const { nullable: _nullable, ...cleaned } = cleanSchema(schema)
  if (!isRecord(cleaned.properties) || Object.keys(cleaned.properties).length === 0) return undefined
  return { ...cleaned, type: 'object' }
}

function encodeToolChoice(choice: ToolChoice): JsonObject {
  switch (choice.type) {
    case 'auto':
      return { mode: 'AUTO' }
    case 'none':
      return { mode: 'NONE' }
    case 'required':
      return { mode: 'ANY' }
    case 'tool':
      return { mode: 'ANY', allowedFunctionNames: [choice.name] }
  }
}

function encodeGenerationConfig(request: ChatRequest): JsonObject {
  const config: JsonObject = {}
  if (request.temperature !== undefined) config.temperature = request.temperature
  if (request.topP !== undefined) config.topP = request.topP
  if (request.topK !== undefined) config.topK = request.topK
  if (request.maxTokens !== undefined) config.maxOutputTokens = request.maxTokens
  if (request.stop !== undefined && request.stop.length > 0) config.stopSequences = [...request.stop]
  if (request.seed !== undefined) config.seed = request.seed
  if (request.presencePenalty !== undefined) config.presencePenalty = request.presencePenalty
  if (request.frequencyPenalty !== undefined) config.frequencyPenalty = request.frequencyPenalty
  const format = request.responseFormat
  if (format?.type === 'json_object') config.responseMimeType = 'application/json'
  if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json'
    config.responseSchema = cleanSchema(format.schema)
  }
  const thinking = request.thinking === undefined ? undefined : encodeThinking(request.thinking, request.model)
  if (thinking !== undefined) config.thinkingConfig = thinking
  return config
}

/**
 * Pro models cannot stop thinking (a zero budget is a 400), so "disabled" leaves them at
 * their default and hides the thoughts. Budgets are clamped to what the models accept.
 */
function encodeThinking(thinking: ThinkingConfig, model: string): JsonObject | undefined {
  const alwaysThinks = /^gemini-(2\.5|3(\.\d+)?)-pro/.test(model)
  if (!thinking.enabled) return alwaysThinks ? undefined : { thinkingBudget: 0 }
  const budget = thinking.budgetTokens ?? (thinking.effort === undefined ? undefined : BUDGET_BY_EFFORT[thinking.effort])
  if (budget === undefined) return { includeThoughts: true }
  const ceiling = alwaysThinks ? 32768 : 24576
  const floor = alwaysThinks ? 128 : 1
  return { thinkingBudget: Math.min(ceiling, Math.max(floor, budget)), includeThoughts: true }
}
