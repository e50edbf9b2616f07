// Strict checks of a generateAssistantResponse body, mirroring the shape rules Kiro
// enforces with 400s (docs/protocols.md#kiro-request-shape). Each check returns why the body is
// rejected; the server answers every violation the way Kiro does.

import { isRecord, type JsonObject } from '../../../src/json/read.ts'

export const KNOWN_MODEL_IDS = new Set([
  'auto',
  'claude-sonnet-4',
  'claude-sonnet-4.5',
  'claude-sonnet-4.6',
  'claude-haiku-4.5',
  'claude-opus-4.5',
  'claude-opus-4.6',
  'claude-opus-4.7',
  'claude-opus-4.8',
])

export type Violation = { reason: 'REQUEST_BODY_INVALID' | 'INVALID_MODEL_ID'; detail: string }

const invalid = (detail: string): Violation => ({ reason: 'REQUEST_BODY_INVALID', detail })

export function findNull(value: unknown, path = '$'): string | undefined {
  if (value === null) return path
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findNull(item, `${path}[${index}]`)
      if (found) return found
    }
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = findNull(item, `${path}.${key}`)
      if (found) return found
    }
  }
  return undefined
}

export function validateKiroBody(body: unknown, options: { requireProfileArn: boolean }): Violation | undefined {
  if (!isRecord(body)) return invalid('body is not an object')
  const nullAt = findNull(body)
  if (nullAt) return invalid(`null at ${nullAt}`)
  const state = body.conversationState
  if (!isRecord(state)) return invalid('conversationState missing')
  if (state.chatTriggerType !== 'MANUAL') return invalid('chatTriggerType must be MANUAL')
  if (typeof state.conversationId !== 'string' || state.conversationId === '') return invalid('conversationId missing')
  if (options.requireProfileArn && typeof body.profileArn !== 'string') return invalid('profileArn required for this login')

  const toolUseIds = new Set<string>()
  const history = state.history
  if (history !== undefined) {
    if (!Array.isArray(history) || history.length === 0) return invalid('history must be omitted or non-empty')
    for (const [index, item] of history.entries()) {
      if (!isRecord(item) || Object.keys(item).length !== 1) return invalid(`history[${index}] must hold exactly one message`)
      const expected = index % 2 === 0 ? 'userInputMessage' : 'assistantResponseMessage'
      const message = item[expected]
      if (!isRecord(message)) return invalid(`history[${index}] must be a ${expected} (alternating, user first)`)
      const problem = expected === 'userInputMessage' ? checkUserMessage(message, toolUseIds, false) : checkAssistantMessage(message, toolUseIds)
      if (problem) return problem
    }
    if (history.length % 2 !== 0) return invalid('history must end with an assistant item')
  }

  const current = state.currentMessage
  if (!isRecord(current) || !isRecord(current.userInputMessage)) return invalid('currentMessage.userInputMessage missing')
  const problem = checkUserMessage(current.userInputMessage, toolUseIds, true)
  if (problem) return problem
  // Assumed from A2A's placeholder tool: a conversation that used tools must declare some.
  const context = current.userInputMessage.userInputMessageContext
  if (toolUseIds.size > 0 && !(isRecord(context) && Array.isArray(context.tools))) return invalid('toolUses in history but no tools declared')
  return undefined
}

function checkUserMessage(message: JsonObject, toolUseIds: Set<string>, isCurrent: boolean): Violation | undefined {
  if (typeof message.content !== 'string' || (isCurrent && message.content === '')) return invalid('userInputMessage.content must be a non-empty string')
  if (typeof message.modelId !== 'string') return invalid('modelId missing')
  if (!KNOWN_MODEL_IDS.has(message.modelId)) return { reason: 'INVALID_MODEL_ID', detail: `unknown model ${message.modelId}` }
  if (message.origin !== 'AI_EDITOR') return invalid('origin must be AI_EDITOR')
  const images = message.images
  if (images !== undefined) {
    if (!Array.isArray(images)) return invalid('images must be an array')
    for (const image of images) {
      const source = isRecord(image) ? image.source : undefined
      if (!isRecord(image) || !['png', 'jpeg', 'gif', 'webp'].includes(String(image.format)) || !isRecord(source) || typeof source.bytes !== 'string') {
        return invalid('malformed image')
      }
    }
  }
  const context = message.userInputMessageContext
  if (context === undefined) return undefined
  if (!isRecord(context)) return invalid('userInputMessageContext must be an object')
  if (context.tools !== undefined) {
    if (!isCurrent) return invalid('tools are only allowed on the current message')
    const problem = checkTools(context.tools)
    if (problem) return problem
  }
  const results = context.toolResults
  if (results !== undefined) {
    if (!Array.isArray(results)) return invalid('toolResults must be an array')
    const seen = new Set<string>()
    for (const result of results) {
      if (!isRecord(result) || typeof result.toolUseId !== 'string') return invalid('toolResult without toolUseId')
      if (seen.has(result.toolUseId)) return invalid(`duplicate toolResult ${result.toolUseId}`)
      seen.add(result.toolUseId)
      if (!toolUseIds.has(result.toolUseId)) return invalid(`toolResult ${result.toolUseId} answers no earlier toolUse`)
      if (result.status !== 'success' && result.status !== 'error') return invalid('toolResult status must be success or error')
      const content = result.content
      if (!Array.isArray(content) || !content.every((item) => isRecord(item) && (typeof item.text === 'string' || item.json !== undefined))) {
        return invalid('toolResult content must be [{text}|{json}]')
      }
    }
  }
  return undefined
}

function checkAssistantMessage(message: JsonObject, toolUseIds: Set<string>): Violation | undefined {
  if (typeof message.content !== 'string') return invalid('assistantResponseMessage.content must be a string')
  const uses = message.toolUses
  if (uses === undefined) return undefined
  if (!Array.isArray(uses)) return invalid('toolUses must be an array')
  for (const use of uses) {
    if (!isRecord(use) || typeof use.toolUseId !== 'string' || typeof use.name !== 'string' || !isRecord(use.input)) return invalid('malformed toolUse')
    if (use.name.length > 64) return invalid(`tool name longer than 64: ${use.name}`)
    toolUseIds.add(use.toolUseId)
  }
  return undefined
}

function checkTools(tools: unknown): Violation | undefined {
  if (!Array.isArray(tools) || tools.length === 0) return invalid('tools must be a non-empty array')
  for (const tool of tools) {
    const spec = isRecord(tool) ? tool.toolSpecification : undefined
    if (!isRecord(spec) || typeof spec.name !== 'string' || spec.name === '') return invalid('tool without toolSpecification.name')
    if (spec.name.length > 64) return invalid(`tool name longer than 64: ${spec.name}`)
    if (typeof spec.description !== 'string' || spec.description === '' || spec.description.length > 10_240) return invalid(`bad description for ${spec.name}`)
    const schema = spec.inputSchema
    if (!isRecord(schema) || !isRecord(schema.json)) return invalid(`tool ${spec.name} needs inputSchema.json`)
  }
  return undefined
}
