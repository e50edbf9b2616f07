// The conversion matrix for openai-responses-custom: OpenAI, Anthropic, Gemini and Responses
// SDK clients against the fake Responses API server, through the running gateway.
import { defineMatrix } from './harness/define.ts'
import { openaiResponsesCustomUpstream } from './harness/upstreams/openai-responses-custom.ts'

defineMatrix({ provider: 'openai-responses-custom', dialect: 'responses', lengthStop: true, httpImages: true, start: openaiResponsesCustomUpstream })
