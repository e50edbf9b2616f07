// The Gemini generateContent dialect: plain Gemini API shapes (the Code Assist envelope is
// the gemini-cli-oauth provider's business).
import type { DialectCodec } from '../types.ts'
import { decodeError } from './error.ts'
import { encodeGeminiError, encodeGeminiStreamError } from './error-encode.ts'
import { jsonArrayLayout } from './json-array-stream.ts'
import { encodeModel, encodeModelList } from './models.ts'
import { decodeRequest } from './request-decode.ts'
import { encodeRequest } from './request-encode.ts'
import { decodeResponse, encodeResponse } from './response.ts'
import { decodeStream } from './stream-decode.ts'
import { encodeStream } from './stream-encode.ts'

export interface GeminiCodecOptions {
  /** Clock for quota-reset hints (tests pin it). */
  now?: () => number
}

export function createGeminiCodec(options: GeminiCodecOptions = {}): DialectCodec {
  const now = options.now ?? Date.now
  return {
    dialect: 'gemini',
    decodeRequest,
    encodeRequest,
    decodeResponse: (body) => decodeResponse(body, now()),
    encodeResponse,
    decodeStream: (events) => decodeStream(events, now),
    encodeStream,
    encodeModelList,
    encodeModel,
    decodeError: (status, bodyText, headers) => decodeError(status, bodyText, headers, now()),
    encodeError: encodeGeminiError,
    encodeStreamError: encodeGeminiStreamError,
    // Every answer chunk but the last lacks finishReason; a stream ends after the chunk with one.
    clientHeaders: ['x-goog-api-client'],
    passthrough: { terminator: '"finishReason"', errorEvent: '\ndata: {"error"' },
    usageKeys: { input: ['promptTokenCount'], output: ['candidatesTokenCount', 'thoughtsTokenCount'], finish: 'finishReason' },
    encodeTokenCount: (tokens) => ({ totalTokens: tokens }),
    nonSseStream: jsonArrayLayout,
  }
}

export const geminiCodec: DialectCodec = createGeminiCodec()

export { cleanSchema } from './clean-schema.ts'
export { classifyGoogleError, googleErrorFacts, parseDuration, type GoogleErrorFacts } from './error.ts'
export { toJsonArrayStream } from './json-array-stream.ts'
export { msUntilPacificMidnight } from './quota-reset.ts'
export { GeminiGenerateContentRequest } from './schema.ts'
export { geminiSchemaToJsonSchema } from './schema-to-json-schema.ts'
export { encodeStreamChunks } from './stream-encode.ts'
export type { GeminiContent, GeminiPart, GeminiResponse } from './wire.ts'
