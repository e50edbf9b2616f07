// The parts of a model answer (non-stream body or stream chunk) → canonical parts.
// Upstream garbage is a 502. A signature on a non-thought part becomes a signature-only
// thinking part just before it, so a Gemini client gets it back in the same place.
import { randomId } from '../../chat/ids.ts'
import type { Part } from '../../chat/types.ts'
import { badGateway } from '../../errors/gateway-error.ts'
import { isRecord, type JsonObject } from '../../json/read.ts'

export function decodeAnswerParts(content: unknown): Part[] {
  if (content === undefined) return []
  if (!isRecord(content)) throw badGateway('Gemini answered with content that is not an object')
  const rawParts = content.parts ?? []
  if (!Array.isArray(rawParts)) throw badGateway('Gemini answered with parts that are not an array')
  const parts: Part[] = []
  for (const raw of rawParts) {
    if (!isRecord(raw)) throw badGateway('Gemini answered with a part that is not an object')
    const signature = typeof raw.thoughtSignature === 'string' ? raw.thoughtSignature : undefined
    if (raw.thought === true && typeof raw.text === 'string') {
      if (raw.text !== '' || signature !== undefined)
        parts.push(signature === undefined ? { type: 'thinking', text: raw.text } : { type: 'thinking', text: raw.text, signature })
      continue
    }
    if (isRecord(raw.functionCall)) {
      parts.push(decodeFunctionCall(raw.functionCall, signature))
      continue
    }
    if (signature !== undefined) parts.push({ type: 'thinking', text: '', signature })
    const other = decodeDataPart(raw)
    if (other !== undefined) parts.push(other)
  }
  return parts
}

function decodeFunctionCall(call: JsonObject, signature: string | undefined): Part {
  if (typeof call.name !== 'string') throw badGateway('Gemini answered with a functionCall without a name')
  const args = call.args ?? {}
  if (!isRecord(args)) throw badGateway('Gemini answered with functionCall args that are not an object')
  const id = typeof call.id === 'string' && call.id !== '' ? call.id : randomId('call_')
  return signature === undefined
    ? { type: 'tool_call', id, name: call.name, arguments: args }
    : { type: 'tool_call', id, name: call.name, arguments: args, signature }
}

/** Text and images; parts canonical cannot carry (executableCode…) are left out. */
function decodeDataPart(raw: JsonObject): Part | undefined {
  if (typeof raw.text === 'string') return raw.text === '' ? undefined : { type: 'text', text: raw.text }
  const inline = raw.inlineData
  if (isRecord(inline) && typeof inline.mimeType === 'string' && typeof inline.data === 'string' && inline.mimeType.startsWith('image/')) {
    return { type: 'image', mediaType: inline.mimeType, data: inline.data }
  }
  const file = raw.fileData
  if (isRecord(file) && typeof file.fileUri === 'string') {
    return typeof file.mimeType === 'string' ? { type: 'image_url', url: file.fileUri, mediaType: file.mimeType } : { type: 'image_url', url: file.fileUri }
  }
  return undefined
}
