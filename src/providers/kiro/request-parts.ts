// Conversions of single pieces of a canonical request into Kiro's shapes: images, tool
// results, tool uses, the tool catalogue and the thinking prefix.
import type { ImagePart, ImageUrlPart, ThinkingConfig, ToolCallPart, ToolDef, ToolResultPart } from '../../chat/types.ts'
import { badRequest } from '../../errors/gateway-error.ts'
import type { KiroImage, KiroTool, KiroToolResult, KiroToolUse } from './request-types.ts'
import type { ToolNameMap } from './tool-names.ts'

const IMAGE_FORMATS: Readonly<Record<string, KiroImage['format']>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
}

/** Kiro cuts longer tool descriptions off with a 400. */
export const MAX_TOOL_DESCRIPTION = 9216

/** Sent when the conversation used tools but the request declares none (Kiro rejects toolUses without a catalogue). */
export const PLACEHOLDER_TOOL: KiroTool = {
  toolSpecification: {
    name: 'no_tool_available',
    description: 'No tools are available in this turn. Do not call this tool.',
    inputSchema: { json: { type: 'object', properties: {} } },
  },
}

export function kiroImage(part: ImagePart | ImageUrlPart): KiroImage {
  if (part.type === 'image_url') {
    // A data: URL is base64 already; anything else would have to be fetched.
    const inline = /^data:([^;,]+);base64,(.*)$/s.exec(part.url)
    if (!inline?.[1] || inline[2] === undefined) throw badRequest('Kiro accepts only base64 images, not image URLs')
    return kiroImage({ type: 'image', mediaType: inline[1], data: inline[2] })
  }
  const format = IMAGE_FORMATS[part.mediaType.toLowerCase()]
  if (!format) throw badRequest(`Kiro accepts png, jpeg, gif or webp images, not ${part.mediaType}`)
  return { format, source: { bytes: part.data } }
}

/** A tool result; its images travel in the message's `images` (Kiro results carry text only). */
export function kiroToolResult(part: ToolResultPart): { result: KiroToolResult; images: KiroImage[] } {
  const texts: string[] = []
  const images: KiroImage[] = []
  for (const item of part.content) {
    if (item.type === 'text') texts.push(item.text)
    else images.push(kiroImage(item))
  }
  return {
    result: { toolUseId: part.toolCallId, status: part.isError ? 'error' : 'success', content: [{ text: texts.join('\n') }] },
    images,
  }
}

export function kiroToolUse(part: ToolCallPart, names: ToolNameMap): KiroToolUse {
  // Kiro rejects empty-string keys in tool inputs.
  const input = Object.fromEntries(Object.entries(part.arguments).filter(([key]) => key !== ''))
  return { toolUseId: part.id, name: names.toKiro(part.name), input }
}

export function kiroTool(tool: ToolDef, names: ToolNameMap): KiroTool {
  // Kiro rejects empty descriptions; the name is the most honest stand-in.
  const description = (tool.description?.trim() || tool.name).slice(0, MAX_TOOL_DESCRIPTION)
  const schema = Object.keys(tool.parameters).length > 0 ? tool.parameters : { type: 'object', properties: {} }
  return { toolSpecification: { name: names.toKiro(tool.name), description, inputSchema: { json: schema } } }
}

const MIN_THINKING = 1024
const MAX_THINKING = 24576
const DEFAULT_THINKING = 20000

/**
 * Kiro has no thinking field: the model is told through a prefix of the system text.
 * An effort without a budget asks for adaptive thinking; otherwise a clamped budget.
 */
export function thinkingPrefix(thinking: ThinkingConfig | undefined): string {
  if (!thinking?.enabled) return ''
  if (thinking.effort !== undefined && thinking.budgetTokens === undefined) {
    return `<thinking_mode>adaptive</thinking_mode><thinking_effort>${thinking.effort}</thinking_effort>`
  }
  const budget = Math.min(MAX_THINKING, Math.max(MIN_THINKING, Math.round(thinking.budgetTokens ?? DEFAULT_THINKING)))
  return `<thinking_mode>enabled</thinking_mode><max_thinking_length>${budget}</max_thinking_length>`
}

/** A deep copy without `null`/`undefined` values (Kiro rejects JSON nulls anywhere in the body). */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((item) => item !== null && item !== undefined).map(withoutNulls) as T
  if (typeof value === 'object' && value !== null) {
    // fromEntries defines own keys, so a `__proto__` key stays a key.
    const entries = Object.entries(value).filter(([, item]) => item !== null && item !== undefined)
    return Object.fromEntries(entries.map(([key, item]) => [key, withoutNulls(item)])) as T
  }
  return value
}
