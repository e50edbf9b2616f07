// The conversion matrix for openai-custom: OpenAI, Anthropic and Gemini SDK clients
// against the fake OpenAI server, through the running gateway.
import { defineMatrix } from './harness/define.ts'
import { openaiCustomUpstream } from './harness/upstreams/openai-custom.ts'

defineMatrix({ provider: 'openai-custom', dialect: 'openai', lengthStop: true, httpImages: true, start: openaiCustomUpstream })
