// SYSTEM_PROMPT_FILE_PATH: a system prompt the operator imposes on every request,
// replacing (overwrite) or following (append) the client's own.
import type { ChatRequest } from './types.ts'

export type SystemPromptMode = 'overwrite' | 'append'

export function applySystemPrompt(request: ChatRequest, text: string, mode: SystemPromptMode): ChatRequest {
  const system = mode === 'overwrite' ? [{ type: 'text' as const, text }] : [...request.system, { type: 'text' as const, text }]
  return { ...request, system }
}
