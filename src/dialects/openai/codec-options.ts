// What the OpenAI codec needs from outside: a clock (`created` timestamps) and an id source
// (for answers and tool calls the upstream left unnamed), injected so tests are exact.
import { randomId } from '../../chat/ids.ts'

export interface OpenAICodecOptions {
  /** Milliseconds since the epoch. */
  now: () => number
  /** A fresh id with the given prefix, e.g. `chatcmpl-…`. */
  newId: (prefix: string) => string
}

export const defaultCodecOptions: Readonly<OpenAICodecOptions> = Object.freeze({ now: Date.now, newId: randomId })

/** OpenAI ids look like `chatcmpl-…`; ids from other dialects are kept inside one. */
export function completionId(id: string, options: OpenAICodecOptions): string {
  if (id.startsWith('chatcmpl-')) return id
  const safe = id.replace(/[^A-Za-z0-9_-]/g, '')
  return safe === '' ? options.newId('chatcmpl-') : `chatcmpl-${safe}`
}

export function unixSeconds(options: OpenAICodecOptions): number {
  return Math.floor(options.now() / 1000)
}
