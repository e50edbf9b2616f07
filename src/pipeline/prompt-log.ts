// PROMPT_LOG_MODE: records each prompt (the last user text) and the answer text, to the
// console or to a dated file. Credentials never pass through here: only chat content.
import { appendFileSync } from 'node:fs'
import { lastUserText } from '../chat/last-user-text.ts'
import type { ChatEvent, ChatRequest } from '../chat/types.ts'
import type { Logger } from '../log.ts'

export interface PromptLog {
  record(provider: string, request: ChatRequest, answer: string): void
  /** Passes events through, recording the answer text when the stream finishes. */
  tap(provider: string, request: ChatRequest, events: AsyncIterable<ChatEvent>): AsyncIterable<ChatEvent>
}

export function createPromptLog(mode: 'console' | 'file', baseName: string, log: Logger, now: () => number): PromptLog {
  const write = (line: string) => {
    if (mode === 'console') log.info(line)
    else appendFileSync(`${baseName}-${new Date(now()).toISOString().slice(0, 10)}.log`, `${log.redact(line)}\n`)
  }
  const record = (provider: string, request: ChatRequest, answer: string) => {
    write(
      `[prompt] ${new Date(now()).toISOString()} provider=${provider} model=${request.model} prompt=${JSON.stringify(lastUserText(request))} answer=${JSON.stringify(answer)}`,
    )
  }
  return {
    record,
    async *tap(provider, request, events) {
      let answer = ''
      for await (const event of events) {
        if (event.type === 'text') answer += event.text
        if (event.type === 'finish') record(provider, request, answer)
        yield event
      }
    },
  }
}
