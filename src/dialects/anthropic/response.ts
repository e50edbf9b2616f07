// Non-stream Anthropic message ⇄ canonical ChatResponse.
import type { ChatResponse, Part } from '../../chat/types.ts'
import { badGateway } from '../../errors/gateway-error.ts'
import { anthropicErrorFromPayload } from './error.ts'
import { anthropicMessageId, clientToolUseId } from './ids.ts'
import type { ContentBlock } from './message-encode.ts'
import { decodeStopReason, encodeStopReason } from './stop-reason.ts'
import { type AnthropicUsage, anthropicUsage, canonicalUsage, readUsageCounters } from './usage.ts'
import { jsonReader } from '../../json/read.ts'

const read = jsonReader((message) => badGateway(`upstream sent an invalid Anthropic message: ${message}`))

export function decodeAnthropicResponse(body: unknown): ChatResponse {
  const root = read.record(body, 'body')
  if (root.type === 'error') throw anthropicErrorFromPayload(root)
  const parts = read.array(root.content, 'content').flatMap((block, i): Part[] => decodeOutputBlock(block, `content[${i}]`))
  const finish = decodeStopReason(root.stop_reason, root.stop_sequence)
  const response: ChatResponse = {
    id: read.string(root.id, 'id'),
    model: read.string(root.model, 'model'),
    parts,
    finishReason: finish.reason,
    usage: canonicalUsage(readUsageCounters(root.usage)),
  }
  if (finish.stopSequence !== undefined) response.stopSequence = finish.stopSequence
  return response
}

/** Block types the canonical shape cannot hold (server tool results, …) are skipped. */
function decodeOutputBlock(value: unknown, path: string): Part[] {
  const block = read.record(value, path)
  switch (block.type) {
    case 'text':
      return [{ type: 'text', text: read.string(block.text, `${path}.text`) }]
    case 'tool_use':
      return [
        {
          type: 'tool_call',
          id: read.string(block.id, `${path}.id`),
          name: read.string(block.name, `${path}.name`),
          arguments: read.record(block.input, `${path}.input`),
        },
      ]
    case 'thinking': {
      const text = read.string(block.thinking, `${path}.thinking`)
      const signature = read.optional(block.signature, `${path}.signature`, read.string)
      return [signature ? { type: 'thinking', text, signature } : { type: 'thinking', text }]
    }
    case 'redacted_thinking':
      return [{ type: 'redacted_thinking', data: read.string(block.data, `${path}.data`) }]
    default:
      return []
  }
}

export interface AnthropicMessageBody {
  id: string
  type: 'message'
  role: 'assistant'
  model: string
  content: ContentBlock[]
  stop_reason: string
  stop_sequence: string | null
  usage: AnthropicUsage
}

export function encodeAnthropicResponse(response: ChatResponse): AnthropicMessageBody {
  const content = response.parts.flatMap(encodeOutputPart)
  const stopReason = encodeStopReason(
    response.stopSequence === undefined ? { reason: response.finishReason } : { reason: response.finishReason, stopSequence: response.stopSequence },
    content.some((block) => block.type === 'tool_use'),
  )
  return {
    id: anthropicMessageId(response.id),
    type: 'message',
    role: 'assistant',
    model: response.model,
    content,
    stop_reason: stopReason,
    stop_sequence: stopReason === 'stop_sequence' ? (response.stopSequence ?? null) : null,
    usage: anthropicUsage(response.usage),
  }
}

/** Images and tool results cannot appear in an Anthropic answer; they are dropped. */
function encodeOutputPart(part: Part): ContentBlock[] {
  switch (part.type) {
    case 'text':
      return part.text === '' ? [] : [{ type: 'text', text: part.text }]
    case 'tool_call':
      return [{ type: 'tool_use', id: clientToolUseId(part.id), name: part.name, input: part.arguments }]
    case 'thinking':
      // Clients expect a signature string; unsigned reasoning from other upstreams gets ''.
      return [{ type: 'thinking', thinking: part.text, signature: part.signature ?? '' }]
    case 'redacted_thinking':
      return [{ type: 'redacted_thinking', data: part.data }]
    default:
      return []
  }
}
