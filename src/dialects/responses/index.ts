// The OpenAI Responses API dialect: assembles the codec from its parts. Errors, model lists
// and upstream error decoding are OpenAI's; the answer shapes and stream are its own.
import { openaiCodec } from '../openai/index.ts'
import type { DialectCodec } from '../types.ts'
import { defaultResponsesOptions, type ResponsesCodecOptions } from './codec-options.ts'
import { encodeResponsesStreamError } from './error-encode.ts'
import { decodeResponsesRequest, sessionOf } from './request-decode.ts'
import { encodeResponsesRequest } from './request-encode.ts'
import { decodeResponsesResponse } from './response-decode.ts'
import { encodeResponsesResponse } from './response-encode.ts'
import { decodeResponsesStream } from './stream-decode.ts'
import { encodeResponsesStream } from './stream-encode.ts'

export type { ResponsesCodecOptions } from './codec-options.ts'

export function createResponsesCodec(options: ResponsesCodecOptions = defaultResponsesOptions): DialectCodec {
  return {
    dialect: 'responses',
    decodeRequest: (body) => decodeResponsesRequest(body),
    encodeRequest: (request) => encodeResponsesRequest(request),
    decodeResponse: (body) => decodeResponsesResponse(body),
    encodeResponse: (response) => encodeResponsesResponse(response, options),
    decodeStream: (events) => decodeResponsesStream(events),
    encodeStream: (events, context) => encodeResponsesStream(events, context, options),
    encodeModelList: openaiCodec.encodeModelList,
    encodeModel: openaiCodec.encodeModel,
    decodeError: openaiCodec.decodeError,
    encodeError: openaiCodec.encodeError,
    encodeStreamError: encodeResponsesStreamError,
    clientHeaders: [],
    // Every ending carries its event name on a line of its own.
    passthrough: {
      terminator: ['\nevent: response.completed', '\nevent: response.incomplete'],
      errorEvent: ['\nevent: response.failed', '\nevent: error'],
    },
    usageKeys: { input: ['input_tokens'], output: ['output_tokens'], finish: 'status' },
    sessionKey: (body) => sessionOf(body),
  }
}

export const responsesCodec: DialectCodec = createResponsesCodec()
