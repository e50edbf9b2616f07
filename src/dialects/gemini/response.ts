// Non-stream GenerateContentResponse ⇄ canonical ChatResponse. Only the first candidate
// counts (requests never ask for more).
import { randomId } from '../../chat/ids.ts'
import type { ChatResponse } from '../../chat/types.ts'
import { badGateway } from '../../errors/gateway-error.ts'
import { encodeParts } from './contents-encode.ts'
import { classifyGoogleError } from './error.ts'
import { finishReasonFromGemini, finishReasonToGemini, usageFromGemini, usageToGemini } from './finish-and-usage.ts'
import { decodeAnswerParts } from './answer-parts-decode.ts'
import type { GeminiResponse } from './wire.ts'
import { isRecord } from '../../json/read.ts'

export function decodeResponse(body: unknown, now: number = Date.now()): ChatResponse {
  if (!isRecord(body)) throw badGateway('Gemini answered with a body that is not a JSON object')
  if (isRecord(body.error)) throw classifyGoogleError(200, body, new Headers(), now)
  const candidates = body.candidates
  if (candidates !== undefined && !Array.isArray(candidates)) throw badGateway('Gemini answered with candidates that are not an array')
  const candidate: unknown = candidates?.[0]
  const base = {
    id: typeof body.responseId === 'string' && body.responseId !== '' ? body.responseId : randomId('resp_'),
    model: typeof body.modelVersion === 'string' ? body.modelVersion : '',
    usage: usageFromGemini(body.usageMetadata),
  }
  if (candidate === undefined) {
    if (isRecord(body.promptFeedback) && body.promptFeedback.blockReason !== undefined) return { ...base, parts: [], finishReason: 'content_filter' }
    throw badGateway('Gemini answered with no candidates and no prompt feedback')
  }
  if (!isRecord(candidate)) throw badGateway('Gemini answered with a candidate that is not an object')
  const parts = decodeAnswerParts(candidate.content)
  const reason = typeof candidate.finishReason === 'string' ? candidate.finishReason : 'STOP'
  return {
    ...base,
    parts,
    finishReason: finishReasonFromGemini(
      reason,
      parts.some((part) => part.type === 'tool_call'),
    ),
  }
}

export function encodeResponse(response: ChatResponse): GeminiResponse {
  const out: GeminiResponse = {
    candidates: [
      {
        content: { role: 'model', parts: encodeParts(response.parts, 'answer', new Map(), 'response') },
        finishReason: finishReasonToGemini(response.finishReason),
        index: 0,
      },
    ],
    usageMetadata: usageToGemini(response.usage),
    modelVersion: response.model,
    responseId: response.id,
  }
  return out
}
