// Gemini GenerateContentRequest (client body) → canonical ChatRequest. The model and the
// stream flag come from the URL. Fields with no canonical meaning (safetySettings,
// cachedContent, labels, responseModalities…) are ignored; built-in tools are refused.
import type { ChatRequest, ResponseFormat, TextPart, ThinkingConfig, ToolChoice, ToolDef } from '../../chat/types.ts'
import { badRequest } from '../../errors/gateway-error.ts'
import type { DecodeRequestContext } from '../types.ts'
import { decodeContents } from './contents-decode.ts'
import { geminiSchemaToJsonSchema } from './schema-to-json-schema.ts'
import { at, type JsonObject } from '../../json/read.ts'
import { field, read } from './field-names.ts'

export function decodeRequest(body: unknown, context: DecodeRequestContext): ChatRequest {
  const root = read.record(body, 'body')
  const request: ChatRequest = {
    model: decodeModel(root, context),
    system: decodeSystem(field(root, 'systemInstruction')),
    messages: decodeContents(read.array(root.contents, 'contents')),
    stream: context.stream ?? false,
  }
  const tools = decodeTools(read.optionalArray(root, 'tools', '') ?? [])
  if (tools.length > 0) request.tools = tools
  const toolConfig = read.optionalRecord(root, 'toolConfig', '')
  const toolChoice = toolConfig === undefined ? undefined : decodeToolChoice(toolConfig)
  if (toolChoice !== undefined) request.toolChoice = toolChoice
  const generation = read.optionalRecord(root, 'generationConfig', '')
  if (generation !== undefined) applyGenerationConfig(generation, request)
  return request
}

function decodeModel(root: JsonObject, context: DecodeRequestContext): string {
  const raw = context.model ?? (typeof root.model === 'string' ? root.model : undefined)
  const model = raw?.startsWith('models/') ? raw.slice('models/'.length) : raw
  if (model === undefined || model === '') throw badRequest('model is required: POST /v1beta/models/{model}:generateContent')
  return model
}

function decodeSystem(value: unknown): TextPart[] {
  if (value === undefined || value === null) return []
  if (typeof value === 'string') return value === '' ? [] : [{ type: 'text', text: value }]
  const content = read.record(value, 'systemInstruction')
  const parts = read.array(field(content, 'parts'), 'systemInstruction.parts')
  const system: TextPart[] = []
  parts.forEach((raw, index) => {
    const path = at('systemInstruction.parts', index)
    const part = read.record(raw, path)
    if (part.text === undefined) throw badRequest(`${path} must be a text part`)
    const text = read.string(part.text, at(path, 'text'))
    if (text !== '') system.push({ type: 'text', text })
  })
  return system
}

function decodeTools(tools: unknown[]): ToolDef[] {
  const defs: ToolDef[] = []
  tools.forEach((raw, index) => {
    const path = at('tools', index)
    const tool = read.record(raw, path)
    const builtIn = Object.keys(tool).find((key) => key !== 'functionDeclarations' && key !== 'function_declarations')
    if (builtIn !== undefined) throw badRequest(`${at(path, builtIn)} is not supported: only functionDeclarations can be converted`)
    const declarations = read.optionalArray(tool, 'functionDeclarations', path) ?? []
    declarations.forEach((declaration, declarationIndex) => {
      defs.push(decodeDeclaration(declaration, at(at(path, 'functionDeclarations'), declarationIndex)))
    })
  })
  return defs
}

function decodeDeclaration(raw: unknown, path: string): ToolDef {
  const declaration = read.record(raw, path)
  const name = read.string(declaration.name, at(path, 'name'))
  const description = read.optionalString(declaration, 'description', path)
  const jsonSchema = read.optionalRecord(declaration, 'parametersJsonSchema', path)
  const schema = read.optionalRecord(declaration, 'parameters', path)
  const parameters = jsonSchema ?? (schema === undefined ? { type: 'object', properties: {} } : geminiSchemaToJsonSchema(schema))
  return description === undefined ? { name, parameters } : { name, description, parameters }
}

function decodeToolChoice(toolConfig: JsonObject): ToolChoice | undefined {
  const config = read.optionalRecord(toolConfig, 'functionCallingConfig', 'toolConfig')
  if (config === undefined) return undefined
  const path = 'toolConfig.functionCallingConfig'
  const mode = read.optionalString(config, 'mode', path)?.toUpperCase()
  const allowed = (read.optionalArray(config, 'allowedFunctionNames', path) ?? []).map((name, index) =>
    read.string(name, at(at(path, 'allowedFunctionNames'), index)),
  )
  switch (mode) {
    case undefined:
    case 'MODE_UNSPECIFIED':
      return undefined
    case 'AUTO':
    case 'VALIDATED':
      return { type: 'auto' }
    case 'NONE':
      return { type: 'none' }
    case 'ANY':
      return allowed.length === 1 && allowed[0] !== undefined ? { type: 'tool', name: allowed[0] } : { type: 'required' }
    default:
      throw badRequest(`${path}.mode must be AUTO, ANY, NONE or VALIDATED, got "${mode}"`)
  }
}

function applyGenerationConfig(config: JsonObject, request: ChatRequest): void {
  const path = 'generationConfig'
  const candidateCount = read.optionalInteger(config, 'candidateCount', path)
  if (candidateCount !== undefined && candidateCount > 1) throw badRequest(`${path}.candidateCount above 1 is not supported`)
  const numbers: Pick<ChatRequest, 'temperature' | 'topP' | 'topK' | 'maxTokens' | 'seed' | 'presencePenalty' | 'frequencyPenalty'> = {
    temperature: read.optionalNumber(config, 'temperature', path),
    topP: read.optionalNumber(config, 'topP', path),
    topK: read.optionalInteger(config, 'topK', path),
    maxTokens: read.optionalInteger(config, 'maxOutputTokens', path),
    seed: read.optionalInteger(config, 'seed', path),
    presencePenalty: read.optionalNumber(config, 'presencePenalty', path),
    frequencyPenalty: read.optionalNumber(config, 'frequencyPenalty', path),
  }
  if (numbers.maxTokens !== undefined && numbers.maxTokens < 1) throw badRequest(`${path}.maxOutputTokens must be at least 1`)
  for (const [key, value] of Object.entries(numbers)) if (value !== undefined) Object.assign(request, { [key]: value })
  const stop = read.optionalArray(config, 'stopSequences', path)
  if (stop !== undefined) request.stop = stop.map((value, index) => read.string(value, at(at(path, 'stopSequences'), index)))
  const format = decodeResponseFormat(config, path)
  if (format !== undefined) request.responseFormat = format
  const thinking = read.optionalRecord(config, 'thinkingConfig', path)
  const decoded = thinking === undefined ? undefined : decodeThinking(thinking, at(path, 'thinkingConfig'))
  if (decoded !== undefined) request.thinking = decoded
}

function decodeResponseFormat(config: JsonObject, path: string): ResponseFormat | undefined {
  const mimeType = read.optionalString(config, 'responseMimeType', path)
  const jsonSchema = read.optionalRecord(config, 'responseJsonSchema', path)
  const schema = read.optionalRecord(config, 'responseSchema', path)
  if (jsonSchema !== undefined) return { type: 'json_schema', schema: jsonSchema }
  if (schema !== undefined) return { type: 'json_schema', schema: geminiSchemaToJsonSchema(schema) }
  if (mimeType === undefined || mimeType === 'text/plain') return undefined
  if (mimeType === 'application/json') return { type: 'json_object' }
  throw badRequest(`${path}.responseMimeType "${mimeType}" is not supported (use application/json or text/plain)`)
}

const EFFORT_BY_LEVEL: Record<string, ThinkingConfig['effort']> = { MINIMAL: 'low', LOW: 'low', MEDIUM: 'medium', HIGH: 'high' }

/**
 * thinkingBudget 0 turns thinking off, -1 is Gemini's "dynamic" (enabled, no budget);
 * thinkingLevel maps to an effort. includeThoughts has no canonical field: providers that
 * think always return the thoughts.
 */
function decodeThinking(config: JsonObject, path: string): ThinkingConfig | undefined {
  const budget = read.optionalInteger(config, 'thinkingBudget', path)
  const include = read.optionalBoolean(config, 'includeThoughts', path)
  const level = read.optionalString(config, 'thinkingLevel', path)?.toUpperCase()
  if (budget === 0) return { enabled: false }
  const thinking: ThinkingConfig = { enabled: true }
  if (budget !== undefined && budget > 0) thinking.budgetTokens = budget
  if (level !== undefined && level !== 'THINKING_LEVEL_UNSPECIFIED') {
    const effort = EFFORT_BY_LEVEL[level]
    if (effort === undefined) throw badRequest(`${path}.thinkingLevel must be minimal, low, medium or high, got "${level.toLowerCase()}"`)
    thinking.effort = effort
  }
  const asked = budget !== undefined || thinking.effort !== undefined || include === true
  return asked ? thinking : undefined
}
