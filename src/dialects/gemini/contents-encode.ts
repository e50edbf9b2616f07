// Canonical messages → Gemini `contents`. Consecutive turns of one role merge (Gemini wants
// all the function responses of a step in one user turn). Thinking parts go back only when
// they carry a signature (Gemini ignores unsigned thoughts); a signature-only thinking part
// rides on the part after it, as Gemini sent it.
import type { ImagePart, ImageUrlPart, Message, Part, ToolResultPart } from '../../chat/types.ts'
import { badRequest } from '../../errors/gateway-error.ts'
import type { GeminiContent, GeminiPart } from './wire.ts'
import { isRecord } from '../../json/read.ts'

const IMAGE_URL_ERROR = 'image URLs are not supported by Gemini providers; send the image as base64 data'
const TYPE_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
}

export function encodeMessages(messages: Message[]): GeminiContent[] {
  const toolNames = new Map<string, string>()
  const contents: GeminiContent[] = []
  messages.forEach((message, index) => {
    const parts = encodeParts(message.parts, 'history', toolNames, `messages[${index}]`)
    if (parts.length === 0) return
    const role = message.role === 'assistant' ? 'model' : 'user'
    const last = contents.at(-1)
    if (last?.role === role) last.parts.push(...parts)
    else contents.push({ role, parts })
  })
  return contents
}

/**
 * `history` is a request turn; `answer` is a model answer for a client, where unsigned
 * thoughts are shown (as `thought: true` parts) and nothing is refused.
 */
export function encodeParts(parts: Part[], mode: 'history' | 'answer', toolNames: Map<string, string>, path: string): GeminiPart[] {
  const out: GeminiPart[] = []
  let pendingSignature: string | undefined
  const flush = () => {
    if (pendingSignature !== undefined) out.push({ text: '', thoughtSignature: pendingSignature })
    pendingSignature = undefined
  }
  parts.forEach((part, index) => {
    switch (part.type) {
      case 'thinking':
        if (part.signature === undefined) {
          if (mode === 'answer' && part.text !== '') out.push({ text: part.text, thought: true })
          return
        }
        flush()
        if (part.text === '') pendingSignature = part.signature
        else out.push({ text: part.text, thought: true, thoughtSignature: part.signature })
        return
      case 'redacted_thinking':
        return
      case 'text':
        if (part.text === '') return
        out.push(pendingSignature === undefined ? { text: part.text } : { text: part.text, thoughtSignature: pendingSignature })
        pendingSignature = undefined
        return
      case 'tool_call': {
        toolNames.set(part.id, part.name)
        if (part.signature !== undefined) flush()
        const signature = part.signature ?? pendingSignature
        pendingSignature = undefined
        const functionCall = { id: part.id, name: part.name, args: { ...part.arguments } }
        out.push(signature === undefined ? { functionCall } : { functionCall, thoughtSignature: signature })
        return
      }
      case 'tool_result':
        flush()
        out.push(...encodeToolResult(part, toolNames, `${path}.parts[${index}]`))
        return
      case 'image':
        flush()
        out.push(inlineData(part))
        return
      case 'image_url':
        flush()
        out.push(mode === 'answer' ? fileData(part) : encodeImageUrl(part, `${path}.parts[${index}]`))
        return
    }
  })
  flush()
  return out
}

function encodeToolResult(part: ToolResultPart, toolNames: Map<string, string>, path: string): GeminiPart[] {
  const name = part.name ?? toolNames.get(part.toolCallId)
  if (name === undefined) throw badRequest(`${path}: the result of tool call "${part.toolCallId}" has no tool name and no earlier tool call with that id`)
  const text = part.content.flatMap((item) => (item.type === 'text' ? [item.text] : [])).join('\n')
  const parsed = parseObject(text)
  const response = parsed ?? (part.isError === true ? { error: text } : { content: text })
  const images = part.content.flatMap((item) => (item.type === 'image' ? [inlineData(item)] : []))
  return [{ functionResponse: { id: part.toolCallId, name, response } }, ...images]
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!text.trimStart().startsWith('{')) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return isRecord(value) ? value : undefined
  } catch {
    return undefined
  }
}

function inlineData(part: ImagePart): GeminiPart {
  return { inlineData: { mimeType: part.mediaType, data: part.data } }
}

function fileData(part: ImageUrlPart): GeminiPart {
  return { fileData: part.mediaType === undefined ? { fileUri: part.url } : { mimeType: part.mediaType, fileUri: part.url } }
}

/** Gemini cannot fetch http(s) URLs; data URLs are inline images and gs:// URIs are files it can read. */
function encodeImageUrl(part: ImageUrlPart, path: string): GeminiPart {
  const dataUrl = /^data:([^;,]+);base64,(.*)$/s.exec(part.url)
  if (dataUrl?.[1] !== undefined && dataUrl[2] !== undefined) return inlineData({ type: 'image', mediaType: dataUrl[1], data: dataUrl[2] })
  if (!part.url.startsWith('gs://')) throw badRequest(`${path}: ${IMAGE_URL_ERROR}`)
  const extension = /\.([a-z0-9]+)$/i.exec(part.url)?.[1]?.toLowerCase()
  const mimeType = part.mediaType ?? (extension === undefined ? undefined : TYPE_BY_EXTENSION[extension])
  if (mimeType === undefined) throw badRequest(`${path}: the media type of ${part.url} is unknown; give it with the image`)
  return { fileData: { mimeType, fileUri: part.url } }
}
