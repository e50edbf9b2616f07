// Every client/provider dialect's codec, by name.
import { anthropicCodec } from './anthropic/index.ts'
import { geminiCodec } from './gemini/index.ts'
import { openaiCodec } from './openai/index.ts'
import { responsesCodec } from './responses/index.ts'
import type { Dialect, DialectCodec } from './types.ts'

export const CODECS: Readonly<Record<Dialect, DialectCodec>> = {
  openai: openaiCodec,
  anthropic: anthropicCodec,
  gemini: geminiCodec,
  responses: responsesCodec,
}
