// Scripted behaviours for the chat route of a fake upstream. Every request to the route pops
// the next scenario; an empty queue means the default (echo text). The same shapes drive the
// OpenAI and the Anthropic fake; each renders them in its own wire format.
import type { JournalEntry } from './journal.ts'

export interface ToolCallSpec {
  name: string
  arguments: Record<string, unknown>
}

/** A successful answer. Streams or not according to the request's `stream` flag. */
export type AnswerScenario =
  /** `text` defaults to `echo: <last user text>`. */
  | { kind: 'text'; text?: string }
  /** Several calls are parallel calls; `text` (optional) comes before them. */
  | { kind: 'tool_calls'; calls: ToolCallSpec[]; text?: string }
  | { kind: 'thinking'; thinking: string; text: string }
  /** Stops because of the token limit (finish_reason length / stop_reason max_tokens). */
  | { kind: 'length'; text?: string }
  /** A valid text answer of about `bytes` bytes. */
  | { kind: 'huge'; bytes: number }

/**
 * Failures after a 200. `chunks` counts content chunks of `answer` (default: the echo text,
 * split finely enough) sent before the fault; when the answer has fewer, the fault comes
 * right after the last one. A non-stream request gets half of its JSON body instead.
 */
export type StreamFaultScenario =
  /** In-stream provider error (OpenAI `data: {"error":…}`, Anthropic `event: error`), then close. */
  | { kind: 'stream-error-after'; chunks: number; answer?: AnswerScenario }
  /** Clean end of the HTTP body without the protocol's terminator. */
  | { kind: 'cut-after'; chunks: number; answer?: AnswerScenario }
  /** Holds the stream open until `until` settles (or the client goes away), then finishes it. */
  | { kind: 'stall-after'; chunks: number; until: Promise<void>; answer?: AnswerScenario }
  /** A frame whose JSON is truncated, then a clean end. */
  | { kind: 'malformed-after'; chunks: number; answer?: AnswerScenario }
  /**
   * The connection is aborted mid-body (the chunked encoding never completes). Like a real
   * RST, it can discard bytes the client has not read yet; hold the abort with `until` (e.g.
   * released after reading the chunks) when a test needs those bytes delivered first.
   */
  | { kind: 'reset-after'; chunks: number; until?: Promise<void>; answer?: AnswerScenario }

export type Scenario =
  | AnswerScenario
  | StreamFaultScenario
  /** An HTTP error. `body` undefined → the provider's usual body for `status`; a string is sent raw. */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** The connection closes before any response byte (the client sees ECONNRESET). */
  | { kind: 'reset' }
  /** 200 with bytes that are neither JSON nor SSE. */
  | { kind: 'garbage'; body?: string | Uint8Array }
  /** Waits before sending headers (time to first byte). */
  | { kind: 'delay'; ms: number; then: Scenario }
  /** Holds the headers until `until` settles, so tests need no sleeps. */
  | { kind: 'gate'; until: Promise<void>; then: Scenario }
  /** Waits `gapMs` between frames; 0 still hands each frame to the socket separately. */
  | { kind: 'slow-chunks'; gapMs: number; then?: Scenario }
  /** Writes the body in random 1..maxPiece byte pieces (mid-line, mid-UTF-8). */
  | { kind: 'split-writes'; seed: number; maxPiece?: number; then?: Scenario }

/** First-in, first-out scenarios for one route. */
export class ScenarioQueue {
  readonly #items: Scenario[] = []

  enqueue(...scenarios: Scenario[]): void {
    this.#items.push(...scenarios)
  }

  /** The next scenario, or `undefined` when the test scripted nothing more. */
  next(): Scenario | undefined {
    return this.#items.shift()
  }

  get pending(): number {
    return this.#items.length
  }
}

/** What a test holds of a started fake chat upstream (OpenAI- or Anthropic-shaped). */
export interface FakeChatUpstream {
  /** The base URL to configure the gateway with. */
  url: string
  origin: string
  port: number
  journal: JournalEntry[]
  /** Resolves once the journal holds at least `count` requests. */
  waitForRequests(count: number): Promise<void>
  /** The most chat or other requests it was handling at once. */
  peakConcurrent(): number
  /** The next requests to the chat route use these, in order. */
  enqueue(...scenarios: Scenario[]): void
  /** Scenarios not used yet. */
  pending(): number
  stop(): Promise<void>
}
