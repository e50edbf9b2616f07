// Canonical ChatEvents → OpenAI `chat.completion.chunk` frames, in OpenAI's exact order:
// a role chunk, content and tool-call chunks, a `delta: {}` chunk with finish_reason, the
// `choices: []` usage chunk (only when the client asked for it), then `data: [DONE]`.
// Every frame is yielded as soon as its event arrives; nothing is buffered.
// Losses (documented): thinking signatures, redacted thinking and stop-sequence names.
import type { ChatEvent, Usage } from '../../chat/types.ts'
import { badGateway } from '../../errors/gateway-error.ts'
import { sseFrame } from '../../upstream/sse.ts'
import type { EncodeStreamContext } from '../types.ts'
import { completionId, unixSeconds, type OpenAICodecOptions } from './codec-options.ts'
import { encodeUsage } from './usage.ts'

interface ChunkHeader {
  id: string
  object: 'chat.completion.chunk'
  created: number
  model: string
}

/** The stream's state once its role chunk is out (before that: undefined). */
interface OpenStream {
  header: ChunkHeader
  /** Usage reported before `finish` (e.g. input tokens at start); `finish` completes it. */
  usage: Partial<Usage>
}

type StartEvent = Extract<ChatEvent, { type: 'start' }>

export async function* encodeOpenAIStream(events: AsyncIterable<ChatEvent>, context: EncodeStreamContext, options: OpenAICodecOptions): AsyncGenerator<string> {
  let stream: OpenStream | undefined
  for await (const event of events) {
    if (!stream) {
      // A source that skips `start` still gets a well-formed stream.
      stream = openStream(event.type === 'start' ? event : undefined, context, options)
      yield choiceFrame(stream.header, { role: 'assistant', content: '' })
      if (event.type === 'start') continue
    }
    const { header } = stream
    switch (event.type) {
      case 'start':
      case 'thinking_signature':
      case 'redacted_thinking':
      case 'tool_call_end':
        break
      case 'text':
        yield choiceFrame(header, { content: event.text })
        break
      case 'thinking':
        yield choiceFrame(header, { reasoning_content: event.text })
        break
      case 'tool_call_start':
        if (context.legacyFunctions) {
          // Legacy clients take one call (parallel calls were off): any later one is dropped.
          if (event.index === 0) yield choiceFrame(header, { function_call: { name: event.name, arguments: '' } })
          break
        }
        yield choiceFrame(header, {
          tool_calls: [{ index: event.index, id: event.id, type: 'function', function: { name: event.name, arguments: '' } }],
        })
        break
      case 'tool_call_delta':
        if (context.legacyFunctions) {
          if (event.index === 0) yield choiceFrame(header, { function_call: { arguments: event.argumentsDelta } })
          break
        }
        yield choiceFrame(header, { tool_calls: [{ index: event.index, function: { arguments: event.argumentsDelta } }] })
        break
      case 'usage':
        stream.usage = { ...stream.usage, ...event.usage }
        break
      case 'finish':
        yield choiceFrame(header, {}, context.legacyFunctions && event.reason === 'tool_calls' ? 'function_call' : event.reason)
        if (context.includeUsage) {
          yield sseFrame(JSON.stringify({ ...header, choices: [], usage: encodeUsage({ ...stream.usage, ...event.usage }) }))
        }
        yield sseFrame('[DONE]')
        return
    }
  }
  throw badGateway('upstream stream ended before it finished')
}

function openStream(start: StartEvent | undefined, context: EncodeStreamContext, options: OpenAICodecOptions): OpenStream {
  return {
    header: {
      id: completionId(start?.id ?? '', options),
      object: 'chat.completion.chunk',
      created: unixSeconds(options),
      model: start?.model || context.model,
    },
    usage: { ...start?.usage },
  }
}

function choiceFrame(header: ChunkHeader, delta: Record<string, unknown>, finishReason: string | null = null): string {
  return sseFrame(JSON.stringify({ ...header, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] }))
}
