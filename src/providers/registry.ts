// Every provider, by id. Static imports keep the single-binary build simple.
import { claudeCustomProvider } from './claude-custom.ts'
import { geminiCliProvider } from './gemini-cli/index.ts'
import { kiroProvider } from './kiro/index.ts'
import { localEchoProvider } from './local-echo.ts'
import { openaiCustomProvider, openaiResponsesCustomProvider } from './openai-custom.ts'
import { qwenProvider } from './qwen/index.ts'
import type { ProviderDefinition, ProviderId } from './types.ts'

export const PROVIDERS: Readonly<Record<ProviderId, ProviderDefinition>> = {
  'local-echo': localEchoProvider,
  'openai-custom': openaiCustomProvider,
  'openai-responses-custom': openaiResponsesCustomProvider,
  'claude-custom': claudeCustomProvider,
  'gemini-cli-oauth': geminiCliProvider,
  'claude-kiro-oauth': kiroProvider,
  'openai-qwen-oauth': qwenProvider,
}
