// Responses `input` (a string, or a list of items) → canonical messages. Message items
// carry text and images; `function_call` and `function_call_output` items are linked by
// `call_id` and grouped into the assistant and user turns the canonical shape needs.
// Losses (documented): `reasoning` items (their encrypted content belongs to OpenAI) are
// dropped; system/developer messages after the first turn stay at their position.
import type { ImagePart, ImageUrlPart, Message, Part, SystemMessage, TextPart } from '../../chat/types.ts'
import { quoteInput } from '../../errors/echo.ts'
import { badRequest } from '../../errors/gateway-error.ts'
import { parseDataUrl } from '../openai/data-url.ts'
import { isRecord, type JsonObject, at, jsonReader } from '../../json/read.ts'

const read = jsonReader(badRequest)

export interface DecodedInput {
  system: TextPart[]
  messages: Array<Message | SystemMessage>
}

export function decodeInput(input: unknown): DecodedInput {
  if (typeof input === 'string') return { system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: input }] }] }
  if (!Array.isArray(input) || input.length === 0) throw badRequest('input must be a string or a non-empty array of items')
  const out: DecodedInput = { system: [], messages: [] }
  const callNames = new Map<string, string>()
  for (const [i, raw] of input.entries()) decodeItem(read.record(raw, `input[${i}]`), `input[${i}]`, out, callNames)
  if (out.messages.length === 0) throw badRequest('input must hold at least one user, assistant or tool item')
  return out
}

function decodeItem(item: JsonObject, path: string, out: DecodedInput, callNames: Map<string, string>): void {
  const type = item.type ?? 'message'
  switch (type) {
    case 'message':
      decodeMessage(item, path, out)
      return
    case 'function_call': {
      const callId = read.string(item.call_id, at(path, 'call_id'))
      const name = read.string(item.name, at(path, 'name'))
      callNames.set(callId, name)
      const args = parseArguments(read.optionalString(item, 'arguments', path) ?? '', `${path}.arguments`)
      append(out, 'assistant', [{ type: 'tool_call', id: callId, name, arguments: args }])
      return
    }
    case 'function_call_output': {
      const callId = read.string(item.call_id, at(path, 'call_id'))
      const name = callNames.get(callId)
      append(out, 'user', [{ type: 'tool_result', toolCallId: callId, ...(name ? { name } : {}), content: decodeOutput(item.output, `${path}.output`) }])
      return
    }
    case 'reasoning':
      return
    default:
      throw badRequest(`${path}.type ${quoteInput(type)} is not supported: use message, function_call or function_call_output items`)
  }
}

function decodeMessage(item: JsonObject, path: string, out: DecodedInput): void {
  const role = read.string(item.role, at(path, 'role'))
  const parts = decodeContent(item.content, `${path}.content`)
  switch (role) {
    case 'system':
    case 'developer': {
      const texts = parts.filter((part): part is TextPart => part.type === 'text')
      if (texts.length !== parts.length) throw badRequest(`${path}.content: a ${role} message takes text only`)
      // Instructions before the conversation are the system prompt; later ones stay in place.
      if (out.messages.length === 0) out.system.push(...texts)
      else out.messages.push({ role: 'system', parts: texts })
      return
    }
    case 'user':
    case 'assistant':
      append(out, role, parts)
      return
    default:
      throw badRequest(`${path}.role must be user, assistant, system or developer (got ${quoteInput(role)})`)
  }
}

/** Consecutive items of one role form one canonical turn (a call's text and its calls, parallel results). */
function append(out: DecodedInput, role: 'user' | 'assistant', parts: Part[]): void {
  const last = out.messages.at(-1)
  if (last && last.role === role) last.parts.push(...parts)
  else out.messages.push({ role, parts })
}

function decodeContent(content: unknown, path: string): Array<TextPart | ImagePart | ImageUrlPart> {
  if (typeof content === 'string') return [{ type: 'text', text: content }]
  if (!Array.isArray(content)) throw badRequest(`${path} must be a string or an array of content parts`)
  return content.map((raw, i) => decodePart(read.record(raw, `${path}[${i}]`), `${path}[${i}]`))
}

function decodePart(part: JsonObject, path: string): TextPart | ImagePart | ImageUrlPart {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
    case 'text':
      return { type: 'text', text: read.string(part.text, at(path, 'text')) }
    case 'refusal':
      return { type: 'text', text: read.string(part.refusal, at(path, 'refusal')) }
    case 'input_image':
      return decodeImage(part, path)
    default:
      throw badRequest(`${path}.type ${quoteInput(part.type)} is not supported: use input_text or input_image (files cannot be converted)`)
  }
}

function decodeImage(part: JsonObject, path: string): ImagePart | ImageUrlPart {
  const url = read.optionalString(part, 'image_url', path)
  if (url === undefined) throw badRequest(`${path}.image_url is required (uploaded file ids cannot be converted)`)
  if (!url.startsWith('data:')) return { type: 'image_url', url }
  const parsed = parseDataUrl(url)
  if (!parsed.ok) throw badRequest(`${path}.image_url ${parsed.reason}`)
  return { type: 'image', mediaType: parsed.mediaType, data: parsed.data }
}

function decodeOutput(output: unknown, path: string): Array<TextPart | ImagePart> {
  if (typeof output === 'string') return [{ type: 'text', text: output }]
  if (!Array.isArray(output)) throw badRequest(`${path} must be a string or an array of input_text/input_image parts`)
  return output.map((raw, i) => {
    const part = decodePart(read.record(raw, `${path}[${i}]`), `${path}[${i}]`)
    if (part.type === 'image_url') throw badRequest(`${path}[${i}].image_url must be a data: URL in a tool result`)
    return part
  })
}

function parseArguments(text: string, path: string): Record<string, unknown> {
  if (text.trim() === '') return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw badRequest(`${path} must be a JSON object encoded as a string`)
  }
  if (!isRecord(value)) throw badRequest(`${path} must be a JSON object encoded as a string`)
  return value
}
