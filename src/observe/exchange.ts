// One request as monitoring sees it: filled in along the data path (route, selection,
// attempts, tokens), closed once when the answer is over, then handed to metrics, the access
// log, the dashboard window and the trace. Plain fields, so recording costs a few stores.
import type { ClientKey } from '../keys/keys-file.ts'
import type { Dialect } from '../dialects/types.ts'
import type { GatewayError } from '../errors/gateway-error.ts'
import type { AttemptSpan, RequestSpan } from './tracing.ts'

export class Exchange {
  dialect?: Dialect
  provider?: string
  instance?: string
  model?: string
  stream = false
  /** The client key that authenticated the request (absent for the master key). */
  clientKey?: ClientKey
  attempts = 0
  status = 0
  /** Time to first byte of the attempt that answered, ms. */
  upstreamMs?: number
  /** Time spent waiting on upstreams (every attempt) before the answer could start, ms. */
  upstreamWaitMs = 0
  /** Request start to response headers, ms. */
  headersMs?: number
  durationMs = 0
  inputTokens?: number
  outputTokens?: number
  finishReason?: string
  error?: GatewayError
  span?: RequestSpan
  /** The data path ends the exchange itself (when the answer body is over). */
  deferred = false
  finished = false

  constructor(
    readonly id: string,
    readonly method: string,
    readonly path: string,
    readonly startedAt: number,
  ) {}

  /** Gateway time before the answer started: everything that was not an upstream wait. */
  get gatewayMs(): number | undefined {
    return this.headersMs === undefined ? undefined : Math.max(0, this.headersMs - this.upstreamWaitMs)
  }

  /** `Server-Timing` value: where the time to the answer's start went. */
  serverTiming(): string {
    const gateway = `gateway;dur=${hundredths(this.gatewayMs ?? 0)}`
    return this.upstreamWaitMs > 0 ? `${gateway}, upstream;dur=${hundredths(this.upstreamWaitMs)}` : gateway
  }

  addUsage(input: number | undefined, output: number | undefined, finish?: string): void {
    if (input !== undefined) this.inputTokens = input
    if (output !== undefined) this.outputTokens = output
    if (finish !== undefined) this.finishReason = finish
  }
}

/** Milliseconds to two decimals (cheaper than toFixed on the data path). */
const hundredths = (ms: number) => Math.round(ms * 100) / 100

/** Timing of one upstream attempt, and its child span when tracing is on. */
export interface Attempt {
  /** Headers the upstream request carries for correlation (x-request-id, traceparent). */
  headers: Record<string, string>
  span?: AttemptSpan
  startedAt: number
}
