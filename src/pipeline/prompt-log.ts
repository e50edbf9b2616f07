// PROMPT_LOG_MODE: records each prompt (the last user text) and the answer text, to the
// console or to a dated file. Credentials never pass through here: only chat content.
// Logging never fails a request: an unwritable path stops startup (exit 2), and a write
// that fails later is reported once and skipped until writing works again.
import { appendFileSync, closeSync, openSync } from 'node:fs'
import { lastUserText } from '../chat/last-user-text.ts'
import type { ChatEvent, ChatRequest } from '../chat/types.ts'
import { ConfigError } from '../config/load.ts'
import type { Logger } from '../log.ts'

export interface PromptLog {
  record(provider: string, request: ChatRequest, answer: string): void
  /** Passes events through, recording the answer text when the stream finishes. */
  tap(provider: string, request: ChatRequest, events: AsyncIterable<ChatEvent>): AsyncIterable<ChatEvent>
}

/** Prompts are private: only the gateway's user may read the files. */
const FILE_MODE = 0o600

export function createPromptLog(mode: 'console' | 'file', baseName: string, log: Logger, now: () => number): PromptLog {
  const fileFor = (time: number) => `${baseName}-${new Date(time).toISOString().slice(0, 10)}.log`
  if (mode === 'file') checkWritable(fileFor(now()))
  let failing = false
  const append = (line: string) => {
    const file = fileFor(now())
    try {
      appendFileSync(file, `${log.redact(line)}\n`, { mode: FILE_MODE })
      if (failing) log.info(`prompt log: writing to ${file} again`)
      failing = false
    } catch (error) {
      if (!failing) log.error(`prompt log: cannot write ${file} (${(error as Error).message}); prompts go unlogged until it works again`)
      failing = true
    }
  }
  const write = (line: string) => (mode === 'console' ? log.info(line) : append(line))
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

function checkWritable(file: string): void {
  try {
    closeSync(openSync(file, 'a', FILE_MODE))
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as Error).message
    throw new ConfigError(`PROMPT_LOG_MODE=file: cannot write the prompt log ${file} (${code}); fix PROMPT_LOG_BASE_NAME or the folder's permissions`)
  }
}
