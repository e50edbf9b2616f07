// The OpenAI Chat Completions dialect: assembles the codec from its parts.
import type { DialectCodec } from '../types.ts'
import { defaultCodecOptions, type OpenAICodecOptions } from './codec-options.ts'
import { decodeOpenAIError } from './error.ts'
import { encodeOpenAIError, encodeOpenAIStreamError } from './error-encode.ts'
import { encodeOpenAIModel, encodeOpenAIModelList } from './models.ts'
import { decodeOpenAIRequest } from './request-decode.ts'
import { encodeOpenAIRequest } from './request-encode.ts'
import { decodeOpenAIResponse } from './response-decode.ts'
import { encodeOpenAIResponse } from './response-encode.ts'
import { decodeOpenAIStream } from './stream-decode.ts'
import { encodeOpenAIStream } from './stream-encode.ts'

export type { OpenAICodecOptions } from './codec-options.ts'
export { OpenAIChatRequest, type OpenAIChatRequestBody } from './schema.ts'

export function createOpenAICodec(options: OpenAICodecOptions = defaultCodecOptions): DialectCodec {
  return {
    dialect: 'openai',
    decodeRequest: (body) => decodeOpenAIRequest(body),
    encodeRequest: (request) => encodeOpenAIRequest(request),
    decodeResponse: (body) => decodeOpenAIResponse(body, options),
    encodeResponse: (response, context) => encodeOpenAIResponse(response, options, context),
    decodeStream: (events) => decodeOpenAIStream(events, options),
    encodeStream: (events, context) => encodeOpenAIStream(events, context, options),
    encodeModelList: (models) => encodeOpenAIModelList(models, options),
    encodeModel: (model) => encodeOpenAIModel(model, options),
    decodeError: (status, bodyText, headers) => decodeOpenAIError(status, bodyText, headers, options.now()),
    encodeError: encodeOpenAIError,
    encodeStreamError: encodeOpenAIStreamError,
    clientHeaders: [],
    passthrough: { terminator: '\ndata: [DONE]', errorEvent: '\ndata: {"error"' },
    usageKeys: { input: ['prompt_tokens'], output: ['completion_tokens'], finish: 'finish_reason' },
  }
}

export const openaiCodec: DialectCodec = createOpenAICodec()
