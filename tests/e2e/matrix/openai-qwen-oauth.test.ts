// The conversion matrix for openai-qwen-oauth: OpenAI, Anthropic and Gemini SDK clients
// against the fake Qwen OAuth server and chat endpoint, through the running gateway.
import { defineMatrix } from './harness/define.ts'
import { qwenUpstream } from './harness/upstreams/openai-qwen-oauth.ts'

defineMatrix({ provider: 'openai-qwen-oauth', dialect: 'openai', lengthStop: true, httpImages: true, contentFilter: true, start: qwenUpstream })
