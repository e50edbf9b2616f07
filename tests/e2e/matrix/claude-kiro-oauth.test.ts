// The conversion matrix for claude-kiro-oauth: OpenAI, Anthropic and Gemini SDK clients
// against the fake Kiro, through the running gateway. Kiro takes canonical requests, so
// every client dialect is converted; it has no finish-by-length and no image URLs.
import { defineMatrix } from './harness/define.ts'
import { kiroUpstream } from './harness/upstreams/claude-kiro-oauth.ts'

defineMatrix({ provider: 'claude-kiro-oauth', lengthStop: false, httpImages: false, start: kiroUpstream })
