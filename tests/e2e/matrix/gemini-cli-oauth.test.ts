// The conversion matrix for gemini-cli-oauth: OpenAI, Anthropic and Gemini SDK clients
// against the fake Google OAuth endpoint and Code Assist API, through the running gateway.
import { defineMatrix } from './harness/define.ts'
import { geminiCliUpstream } from './harness/upstreams/gemini-cli-oauth.ts'

defineMatrix({ provider: 'gemini-cli-oauth', dialect: 'gemini', lengthStop: true, httpImages: false, contentFilter: true, start: geminiCliUpstream })
