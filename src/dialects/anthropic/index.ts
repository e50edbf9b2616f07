// The Anthropic Messages dialect: client side (`/v1/messages`) and upstream side (claude-custom).
import type { DialectCodec } from '../types.ts'
import { decodeAnthropicError } from './error.ts'
import { encodeAnthropicError, encodeAnthropicStreamError } from './error-encode.ts'
import { encodeAnthropicModel, encodeAnthropicModelList } from './models.ts'
import { decodeAnthropicRequest } from './request-decode.ts'
import { encodeAnthropicRequest } from './request-encode.ts'
import { decodeAnthropicResponse, encodeAnthropicResponse } from './response.ts'
import { decodeAnthropicStream } from './stream-decode.ts'
import { encodeAnthropicStream } from './stream-encode.ts'

export const anthropicCodec: DialectCodec = {
  dialect: 'anthropic',
  decodeRequest: decodeAnthropicRequest,
  encodeRequest: encodeAnthropicRequest,
  decodeResponse: decodeAnthropicResponse,
  encodeResponse: encodeAnthropicResponse,
  decodeStream: decodeAnthropicStream,
  encodeStream: encodeAnthropicStream,
  encodeModelList: encodeAnthropicModelList,
  encodeModel: encodeAnthropicModel,
  decodeError: decodeAnthropicError,
  encodeError: encodeAnthropicError,
  encodeStreamError: encodeAnthropicStreamError,
  clientHeaders: ['anthropic-version', 'anthropic-beta', 'anthropic-dangerous-direct-browser-access'],
  sessionKey: (body) => {
    const user = isRecord(body.metadata) ? body.metadata.user_id : undefined
    return typeof user === 'string' && user ? user : undefined
  },
  passthrough: { terminator: '"type":"message_stop"', errorEvent: '\nevent: error' },
  usageKeys: { input: ['input_tokens'], output: ['output_tokens'], finish: 'stop_reason' },
  // message_start carries input tokens before the upstream has counted them.
  announcesInputTokens: true,
  encodeTokenCount: (tokens) => ({ input_tokens: tokens }),
}

export {
  DEFAULT_MAX_TOKENS,
  DEFAULT_THINKING_BUDGET,
  MIN_THINKING_BUDGET,
  THINKING_BUDGET_BY_EFFORT,
} from './defaults.ts'
import { isRecord } from '../../json/read.ts'
export { AnthropicCountTokensRequest, AnthropicMessagesRequest } from './schema.ts'
