// Client `contents` → canonical messages. Gemini ties a functionResponse to its call by
// name (ids are optional), so ids are assigned here: the call's own `id`, else a stable
// `call_<n>`; a response without an id answers the earliest unanswered call of that name.
import type { ImagePart, Message, Part, TextPart } from '../../chat/types.ts'
import { badRequest } from '../../errors/gateway-error.ts'
import { at, isRecord, type JsonObject } from '../../json/read.ts'
import { field, read } from './field-names.ts'

const DATA_FIELDS = ['text', 'inlineData', 'fileData', 'functionCall', 'functionResponse'] as const

interface CallLedger {
  /** Every id the client sent, so generated ids never collide with them. */
  taken: Set<string>
  next: number
  unanswered: Array<{ id: string; name: string }>
}

export function decodeContents(contents: unknown[]): Message[] {
  const ledger: CallLedger = { taken: collectCallIds(contents), next: 1, unanswered: [] }
  const messages: Message[] = []
  contents.forEach((raw, index) => {
    const path = at('contents', index)
    const content = read.record(raw, path)
    const role = decodeRole(content, path)
    const parts = read
      .array(field(content, 'parts'), at(path, 'parts'))
      .flatMap((part, partIndex) => decodePart(part, at(at(path, 'parts'), partIndex), role, ledger))
    if (parts.length > 0) messages.push({ role, parts })
  })
  return messages
}

function decodeRole(content: JsonObject, path: string): Message['role'] {
  const role = read.optionalString(content, 'role', path)
  if (role === undefined || role === 'user' || role === 'function') return 'user'
  if (role === 'model') return 'assistant'
  throw badRequest(`${at(path, 'role')} must be "user" or "model", got "${role}"`)
}

function decodePart(raw: unknown, path: string, role: Message['role'], ledger: CallLedger): Part[] {
  const part = read.record(raw, path)
  const signature = read.optionalString(part, 'thoughtSignature', path)
  const kind = DATA_FIELDS.find((key) => field(part, key) !== undefined)
  if (kind === undefined) {
    if (signature !== undefined) return [{ type: 'thinking', text: '', signature }]
    const other = Object.keys(part).find((key) => key !== 'thought')
    throw badRequest(
      other === undefined ? `${path} must have one of ${DATA_FIELDS.join(', ')}` : `${path}: ${other} parts are not supported (only ${DATA_FIELDS.join(', ')})`,
    )
  }
  const value = field(part, kind)
  const valuePath = at(path, kind)
  switch (kind) {
    case 'text': {
      const text = read.string(value, valuePath)
      if (part.thought === true) {
        if (signature !== undefined) return [{ type: 'thinking', text, signature }]
        return text === '' ? [] : [{ type: 'thinking', text }]
      }
      const out: Part[] = signature === undefined ? [] : [{ type: 'thinking', text: '', signature }]
      if (text !== '') out.push({ type: 'text', text })
      return out
    }
    case 'inlineData':
      return withSignature(signature, [decodeInlineImage(value, valuePath)])
    case 'fileData': {
      const file = read.record(value, valuePath)
      const url = read.string(field(file, 'fileUri'), at(valuePath, 'fileUri'))
      const mediaType = read.optionalString(file, 'mimeType', valuePath)
      if (mediaType !== undefined) requireImage(mediaType, at(valuePath, 'mimeType'))
      return withSignature(signature, [mediaType === undefined ? { type: 'image_url', url } : { type: 'image_url', url, mediaType }])
    }
    case 'functionCall': {
      if (role !== 'assistant') throw badRequest(`${valuePath} must be in a "model" turn`)
      const call = read.record(value, valuePath)
      const name = read.string(call.name, at(valuePath, 'name'))
      const args = read.record(field(call, 'args') ?? {}, at(valuePath, 'args'))
      const id = read.optionalString(call, 'id', valuePath) ?? newCallId(ledger)
      ledger.unanswered.push({ id, name })
      return [signature === undefined ? { type: 'tool_call', id, name, arguments: args } : { type: 'tool_call', id, name, arguments: args, signature }]
    }
    case 'functionResponse':
      if (role !== 'user') throw badRequest(`${valuePath} must be in a "user" turn`)
      return withSignature(signature, [decodeFunctionResponse(value, valuePath, ledger)])
  }
}

function withSignature(signature: string | undefined, parts: Part[]): Part[] {
  return signature === undefined ? parts : [{ type: 'thinking', text: '', signature }, ...parts]
}

function decodeFunctionResponse(value: unknown, path: string, ledger: CallLedger): Part {
  const response = read.record(value, path)
  const name = read.string(response.name, at(path, 'name'))
  const ownId = read.optionalString(response, 'id', path)
  const body = response.response ?? {}
  const payload = read.record(body, at(path, 'response'))
  const content: Array<TextPart | ImagePart> = [{ type: 'text', text: JSON.stringify(payload) }]
  const extra = read.optionalArray(response, 'parts', path) ?? []
  extra.forEach((raw, index) => {
    const partPath = at(at(path, 'parts'), index)
    const inline = field(read.record(raw, partPath), 'inlineData')
    if (inline === undefined) throw badRequest(`${partPath} must be an inlineData part`)
    content.push(decodeInlineImage(inline, at(partPath, 'inlineData')))
  })
  const toolCallId = answerCall(ledger, name, ownId)
  const isError = Object.keys(payload).length === 1 && payload.error !== undefined
  return { type: 'tool_result', toolCallId, name, content, ...(isError ? { isError: true } : {}) }
}

function answerCall(ledger: CallLedger, name: string, ownId: string | undefined): string {
  const index = ledger.unanswered.findIndex((call) => (ownId === undefined ? call.name === name : call.id === ownId))
  const call = index === -1 ? undefined : ledger.unanswered.splice(index, 1)[0]
  return ownId ?? call?.id ?? newCallId(ledger)
}

function decodeInlineImage(value: unknown, path: string): ImagePart {
  const inline = read.record(value, path)
  const mediaType = read.string(field(inline, 'mimeType'), at(path, 'mimeType'))
  requireImage(mediaType, at(path, 'mimeType'))
  return { type: 'image', mediaType, data: read.string(inline.data, at(path, 'data')) }
}

function requireImage(mediaType: string, path: string): void {
  if (!mediaType.toLowerCase().startsWith('image/')) throw badRequest(`${path} "${mediaType}" is not supported: only images can be converted`)
}

function newCallId(ledger: CallLedger): string {
  for (;;) {
    const id = `call_${ledger.next++}`
    if (!ledger.taken.has(id)) return id
  }
}

function collectCallIds(contents: unknown[]): Set<string> {
  const ids = new Set<string>()
  for (const content of contents) {
    const parts = isRecord(content) ? field(content, 'parts') : undefined
    if (!Array.isArray(parts)) continue
    for (const part of parts) {
      if (!isRecord(part)) continue
      for (const key of ['functionCall', 'functionResponse']) {
        const value = field(part, key)
        if (isRecord(value) && typeof value.id === 'string') ids.add(value.id)
      }
    }
  }
  return ids
}
