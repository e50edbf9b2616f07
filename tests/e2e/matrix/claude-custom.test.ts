// The conversion matrix for claude-custom: OpenAI, Anthropic and Gemini SDK clients
// against the fake Anthropic Messages API, through the running gateway.
import { defineMatrix } from './harness/define.ts'
import { claudeCustomUpstream } from './harness/upstreams/claude-custom.ts'

defineMatrix({ provider: 'claude-custom', dialect: 'anthropic', lengthStop: true, httpImages: true, start: claudeCustomUpstream })
