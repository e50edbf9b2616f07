// Scripted Kiro answers as event-stream frames (docs/protocols.md#kiro-events): plain text, thinking,
// tool calls with input cut inside strings and escapes, noise events, exceptions.
import { eventFrame, exceptionFrame } from './event-stream-encoder.ts'

export interface ScriptedToolCall {
  toolUseId: string
  name: string
  /** The input JSON text in the pieces Kiro sends it in. */
  fragments: string[]
}

const usageFrames = (contextUsagePercentage: number) => [
  eventFrame('contextUsageEvent', { contextUsagePercentage }),
  eventFrame('meteringEvent', { unit: 'credit', unitPlural: 'credits', usage: 0.0097 }),
]

/** Text pieces, then context usage and metering (the default script). */
export function textAnswer(pieces: string[], contextUsagePercentage = 1.5): Uint8Array[] {
  return [...pieces.map((content) => eventFrame('assistantResponseEvent', { content })), ...usageFrames(contextUsagePercentage)]
}

/** `<thinking>…</thinking>\n\n` then the text, cut inside both tags. */
export function thinkingAnswer(thinking: string, text: string): Uint8Array[] {
  const whole = `<thinking>${thinking}</thinking>\n\n${text}`
  const cuts = [4, 13, whole.indexOf('</thinking>') + 3, whole.indexOf('</thinking>') + 12]
  const pieces = cuts.map((cut, i) => whole.slice(i === 0 ? 0 : cuts[i - 1], cut))
  pieces.push(whole.slice(cuts.at(-1)))
  return textAnswer(pieces.filter((piece) => piece !== ''))
}

/** Optional text, then each tool call as fragments; the last fragment of each has stop:true. */
export function toolAnswer(text: string | undefined, calls: ScriptedToolCall[]): Uint8Array[] {
  const frames = text === undefined ? [] : [eventFrame('assistantResponseEvent', { content: text })]
  for (const call of calls) {
    for (const input of call.fragments) frames.push(eventFrame('toolUseEvent', { toolUseId: call.toolUseId, name: call.name, input, stop: false }))
    frames.push(eventFrame('toolUseEvent', { toolUseId: call.toolUseId, name: call.name, stop: true }))
  }
  return [...frames, ...usageFrames(2)]
}

/** JSON text cut at the given offsets (tests choose offsets inside strings and escapes). */
export function cutAt(text: string, offsets: number[]): string[] {
  const bounds = [0, ...offsets, text.length]
  return bounds.slice(1).map((end, i) => text.slice(bounds[i], end))
}

/** Text wrapped in every event Kiro sends that carries nothing for the answer, plus one duplicated frame. */
export function noisyAnswer(pieces: string[]): Uint8Array[] {
  const [first = '', ...rest] = pieces
  return [
    eventFrame('messageMetadataEvent', { conversationId: 'conv-1', utteranceId: 'utt-1' }),
    eventFrame('assistantResponseEvent', { content: first }),
    eventFrame('assistantResponseEvent', { content: first }),
    eventFrame('codeReferenceEvent', { references: [] }),
    ...rest.map((content) => eventFrame('assistantResponseEvent', { content })),
    eventFrame('supplementaryWebLinksEvent', { supplementaryWebLinks: [] }),
    eventFrame('someFutureEvent', { anything: 1 }),
    eventFrame('followupPromptEvent', { followupPrompt: { content: 'More?', userIntent: 'SUGGEST_ALTERNATE_IMPLEMENTATION' } }),
    ...usageFrames(1),
    eventFrame('messageStopEvent', {}),
  ]
}

/** Text, then an exception frame in the middle of the 200 stream. */
export function exceptionAnswer(pieces: string[], exceptionType = 'ThrottlingException', message = 'Too many requests'): Uint8Array[] {
  return [...pieces.map((content) => eventFrame('assistantResponseEvent', { content })), exceptionFrame(exceptionType, message)]
}

/** What the fake answers when no scenario is queued: text derived from the request. */
export function defaultAnswer(body: Record<string, unknown>): Uint8Array[] {
  const state = body.conversationState as { history?: Array<Record<string, { content?: string }>>; currentMessage: { userInputMessage: { content: string } } }
  const last = state.currentMessage.userInputMessage.content
  const firstUser = state.history?.[0]?.userInputMessage?.content ?? last
  const reply = `You said: ${last.slice(-200)}`
  const third = Math.ceil(reply.length / 3)
  if (firstUser.includes('<thinking_mode>')) return thinkingAnswer('Considering the request.', reply)
  return textAnswer([reply.slice(0, third), reply.slice(third, 2 * third), reply.slice(2 * third)])
}
