// What the Responses codec needs from outside: a clock (`created_at`) and an id source
// (response and output-item ids are always the gateway's own), injected so tests are exact.
import { randomId } from '../../chat/ids.ts'

export interface ResponsesCodecOptions {
  /** Milliseconds since the epoch. */
  now: () => number
  /** A fresh id with the given prefix, e.g. `resp_…`. */
  newId: (prefix: string) => string
}

export const defaultResponsesOptions: Readonly<ResponsesCodecOptions> = Object.freeze({ now: Date.now, newId: randomId })
