// The data path of a chat request, top to bottom: decode (when the provider speaks
// another dialect) → pick a member and call it, failing over before the first byte, then
// along the provider's fallback chain → convert the answer back (or pass its bytes
// through) → response.
import { aggregateEvents } from '../chat/aggregate.ts'
import { estimateRequestTokens } from '../chat/estimate-tokens.ts'
import { applySystemPrompt } from '../chat/system-prompt.ts'
import type { ChatEvent, ChatRequest, ChatResponse } from '../chat/types.ts'
import { checkedSse, decodeSse } from '../upstream/sse.ts'
import type { Dialect } from '../dialects/types.ts'
import { badGateway, toGatewayError, type GatewayError } from '../errors/gateway-error.ts'
import type { Lease } from '../pools/types.ts'
import type { ChatCall, ProviderId, UpstreamReply } from '../providers/types.ts'
import { targetsOf } from '../routing/fallback-chain.ts'
import type { Exchange } from '../observe/exchange.ts'
import { tapChunks, usageOfBody } from '../observe/usage.ts'
import { FailedAttempts, withFailover } from './failover.ts'
import { answerHeaders, errorAnswer, passthroughHeaders, selectionHeaders } from './headers.ts'
import { rewritesTraffic, type Runtime } from './runtime.ts'
import { type BodyHooks, frameBody, layoutBody, passthroughBody } from './streams.ts'

export interface ChatInput {
  dialect: Dialect
  provider: ProviderId
  body: Record<string, unknown>
  /** The client's exact body, forwarded untouched on same-dialect passthrough. */
  raw: string
  /** The client's query string (gateway key removed), forwarded on same-dialect passthrough. */
  query?: string
  model: string
  stream: boolean
  /** False when the client asked for the dialect's non-SSE stream layout (its codec's `nonSseStream`). */
  sse: boolean
  headers: Headers
  signal: AbortSignal
  /** Monitoring's record of this request, filled in along the way. */
  exchange: Exchange
}

/** What came back from the upstream, read far enough that nothing more can fail over. */
type Answer =
  | { kind: 'bytes'; upstream: Response; body: Uint8Array }
  | { kind: 'byte-stream'; upstream: Response; chunks: AsyncIterable<Uint8Array> }
  | { kind: 'response'; response: ChatResponse }
  | { kind: 'events'; events: AsyncIterable<ChatEvent> }

/**
 * Tries the selected provider, then its FALLBACK_CHAIN in order: the next target answers
 * when the current one failed before anything reached the client for a reason that is not
 * the request's (every member failed, none available, not configured). Attempts add up
 * across the chain; the headers name who answered.
 */
export async function handleChat(runtime: Runtime, asked: ChatInput): Promise<Response> {
  // A stream may outlive a shutdown's patience: the drain can then end it with an error event.
  const input = asked.stream ? { ...asked, signal: runtime.drain.signalFor(asked.signal) } : asked
  const codec = runtime.codecs[input.dialect]
  const { exchange } = input
  exchange.dialect = input.dialect
  exchange.stream = input.stream
  const targets = targetsOf(runtime.fallbackChain, { provider: input.provider, model: input.model })
  let spent = 0
  // Each pass answers or moves on; the last target always answers.
  for (let index = 0; ; index++) {
    const current = retarget(input, targets[index] as (typeof targets)[number])
    const next = targets[index + 1]
    exchange.provider = current.provider
    exchange.model = current.model
    try {
      return await serve(runtime, current, spent, next !== undefined)
    } catch (thrown) {
      if (!(thrown instanceof FailedAttempts)) {
        exchange.error = toGatewayError(thrown)
        return errorAnswer(codec, exchange.error, selectionHeaders(current.provider))
      }
      spent += thrown.attempts
      if (next === undefined || thrown.error.scope === 'request' || input.signal.aborted) {
        exchange.error = thrown.error
        return errorAnswer(codec, thrown.error, selectionHeaders(current.provider, thrown.instance, spent))
      }
      runtime.log.warn(`${current.provider} cannot answer (${thrown.error.status}: ${thrown.error.message}); falling back to ${next.provider} (${next.model})`)
    }
  }
}

/** The request aimed at another provider or model: a body that names its model names the new one. */
function retarget(input: ChatInput, target: { provider: ProviderId; model: string }): ChatInput {
  const moved = { ...input, provider: target.provider, model: target.model }
  if (!('model' in input.body) || input.body.model === target.model) return moved
  const body = { ...input.body, model: target.model }
  return { ...moved, body, raw: JSON.stringify(body) }
}

/** One target: decode if its provider speaks another dialect, call a member with failover, answer. Throws FailedAttempts. */
async function serve(runtime: Runtime, input: ChatInput, spent: number, canFallBack: boolean): Promise<Response> {
  const definition = runtime.providers[input.provider]
  const passthrough = definition.accepts === input.dialect && !rewritesTraffic(runtime)
  const canonical = passthrough ? undefined : decodeRequest(runtime, input)
  const call = buildCall(runtime, input, definition.accepts, canonical)
  const sessionKey = sessionKeyOf(runtime, input)
  const options = { provider: input.provider, signal: input.signal, onePass: canFallBack, ...(sessionKey ? { sessionKey } : {}) }
  const {
    value: answer,
    lease,
    attempts,
  } = await withFailover(runtime, options, (lease, markFirstByte) =>
    observedAttempt(runtime, input, lease, (upstreamHeaders, onFirstByte) =>
      callUpstream(
        runtime,
        input,
        { ...call, upstreamHeaders },
        lease,
        () => {
          onFirstByte()
          markFirstByte()
        },
        passthrough,
      ),
    ),
  )
  return respond(runtime, input, canonical, answer, lease, selectionHeaders(input.provider, lease.member.uuid, spent + attempts))
}

/** One upstream attempt, timed (and traced) by monitoring; `call` gets the correlation headers to send. */
async function observedAttempt<T>(
  runtime: Runtime,
  input: ChatInput,
  lease: Lease,
  call: (upstreamHeaders: Record<string, string>, onFirstByte: () => void) => Promise<T>,
): Promise<T> {
  const attempt = runtime.observer.attempt(input.exchange, input.headers, input.provider, lease.member.uuid)
  let firstByteAt: number | undefined
  try {
    const value = await call(attempt.headers, () => {
      firstByteAt ??= performance.now()
    })
    runtime.observer.attemptDone(input.exchange, attempt, firstByteAt)
    return value
  } catch (thrown) {
    runtime.observer.attemptDone(input.exchange, attempt, firstByteAt, toGatewayError(thrown))
    throw thrown
  }
}

function decodeRequest(runtime: Runtime, input: ChatInput): ChatRequest {
  const request = runtime.codecs[input.dialect].decodeRequest(input.body, { model: input.model, stream: input.stream })
  const prompt = runtime.systemPrompt
  return prompt ? applySystemPrompt(request, prompt.text, prompt.mode) : request
}

function buildCall(runtime: Runtime, input: ChatInput, accepts: Dialect | 'canonical', canonical: ChatRequest | undefined): ChatCall {
  const common = { model: input.model, stream: input.stream, signal: input.signal, clientHeaders: input.headers }
  if (!canonical) return { ...common, format: input.dialect, body: input.body, raw: input.raw, ...(input.query ? { query: input.query } : {}) }
  if (accepts === 'canonical') return { ...common, format: 'canonical', request: canonical }
  return { ...common, format: accepts, body: runtime.codecs[accepts].encodeRequest(canonical) }
}

/** Longer session ids are ignored: real ones are UUIDs or short hashes, and hashing megabytes per request buys nothing. */
export const SESSION_KEY_MAX_LENGTH = 512

/** Sticky-session key: `x-session-id`, or the dialect's own user id in the body. */
function sessionKeyOf(runtime: Runtime, input: ChatInput): string | undefined {
  const key = input.headers.get('x-session-id') || runtime.codecs[input.dialect].sessionKey?.(input.body)
  return key !== undefined && key.length <= SESSION_KEY_MAX_LENGTH ? key : undefined
}

async function callUpstream(
  runtime: Runtime,
  input: ChatInput,
  call: ChatCall,
  lease: Lease,
  markFirstByte: () => void,
  passthrough: boolean,
): Promise<Answer> {
  const reply = await lease.member.client.chat(call)
  markFirstByte()
  if (reply.kind === 'events') {
    return input.stream ? { kind: 'events', events: await primed(reply.events) } : { kind: 'response', response: await aggregateEvents(reply.events) }
  }
  // A stream layout other than SSE is re-encoded from the upstream's SSE.
  if (passthrough && reply.dialect === input.dialect && (input.sse || !input.stream)) {
    if (input.stream) return { kind: 'byte-stream', upstream: reply.response, chunks: await checkedSse(reply.body.chunks()) }
    const body = await reply.body.bytes()
    // Nothing has reached the client yet: a cut or garbled body is the member's failure and fails over.
    if (!looksLikeJsonObject(body)) throw badGateway(`upstream ${reply.dialect} answer is not a JSON object: cut short or garbled`)
    return { kind: 'bytes', upstream: reply.response, body }
  }
  return decodeReply(runtime, input, reply)
}

async function decodeReply(runtime: Runtime, input: ChatInput, reply: Extract<UpstreamReply, { kind: 'http' }>): Promise<Answer> {
  const codec = runtime.codecs[reply.dialect]
  if (input.stream) {
    return { kind: 'events', events: await primed(codec.decodeStream(decodeSse(reply.body.chunks()))) }
  }
  const bytes = await reply.body.bytes()
  let body: unknown
  try {
    body = JSON.parse(new TextDecoder().decode(bytes))
  } catch {
    throw badGateway(`upstream ${reply.dialect} answer is not JSON`)
  }
  return { kind: 'response', response: codec.decodeResponse(body) }
}

const isBlank = (byte: number | undefined) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09

/**
 * A cheap check in place of parsing: the first and last non-blank bytes of a JSON object
 * are `{` and `}`. Catches a body cut short (`…"content":"tru`) at no cost.
 */
function looksLikeJsonObject(bytes: Uint8Array): boolean {
  let first = 0
  while (first < bytes.length && isBlank(bytes[first])) first++
  let last = bytes.length - 1
  while (last > first && isBlank(bytes[last])) last--
  return last > first && bytes[first] === 0x7b && bytes[last] === 0x7d
}

/**
 * Reads the first event now, so an upstream that fails at once can still fail over. The
 * result hands out that event, then continues the same iterator (no extra generator layer).
 */
async function primed(events: AsyncIterable<ChatEvent>): Promise<AsyncIterable<ChatEvent>> {
  const iterator = events[Symbol.asyncIterator]()
  let first: IteratorResult<ChatEvent> | undefined = await iterator.next()
  const resumed: AsyncIterator<ChatEvent> = {
    next() {
      if (first === undefined) return iterator.next()
      const result = first
      first = undefined
      return Promise.resolve(result)
    },
    return(value?: unknown) {
      first = undefined
      return iterator.return ? iterator.return(value) : Promise.resolve({ done: true, value: undefined })
    },
  }
  return { [Symbol.asyncIterator]: () => resumed }
}

function respond(
  runtime: Runtime,
  input: ChatInput,
  canonical: ChatRequest | undefined,
  answer: Answer,
  lease: Lease,
  selection: Record<string, string>,
): Response {
  const codec = runtime.codecs[input.dialect]
  const promptLog = runtime.promptLog
  const { exchange } = input
  switch (answer.kind) {
    case 'bytes': {
      lease.end()
      const usage = usageOfBody(answer.body, codec.usageKeys)
      exchange.addUsage(usage.input, usage.output, usage.finish)
      return new Response(answer.body, { status: answer.upstream.status, headers: passthroughHeaders(answer.upstream, selection, runtime.log.redact) })
    }
    case 'byte-stream': {
      const tapped = tapChunks(answer.chunks, codec.usageKeys)
      const body = passthroughBody(
        tapped.chunks,
        codec,
        endHooks(runtime, lease, exchange, () => {
          const usage = tapped.usage()
          exchange.addUsage(usage.input, usage.output, usage.finish)
        }),
      )
      return new Response(body, { headers: passthroughHeaders(answer.upstream, selection, runtime.log.redact) })
    }
    case 'response':
      lease.end()
      exchange.addUsage(answer.response.usage.inputTokens, answer.response.usage.outputTokens)
      exchange.finishReason = answer.response.finishReason
      if (promptLog && canonical) promptLog.record(input.provider, canonical, answerText(answer.response))
      return new Response(JSON.stringify(codec.encodeResponse(answer.response, legacyOf(canonical))), { headers: answerHeaders('application/json', selection) })
    case 'events': {
      const tapped = tapUsage(answer.events, exchange)
      const events = promptLog && canonical ? promptLog.tap(input.provider, canonical, tapped) : tapped
      const frames = codec.encodeStream(events, {
        model: input.model,
        includeUsage: canonical?.includeUsage ?? false,
        ...legacyOf(canonical),
        ...(codec.announcesInputTokens && canonical ? { inputTokensEstimate: estimateRequestTokens(canonical) } : {}),
      })
      const hooks = endHooks(runtime, lease, exchange)
      const layout = input.sse ? undefined : codec.nonSseStream
      if (layout) return new Response(layoutBody(frames, layout, hooks), { headers: answerHeaders(layout.contentType, selection) })
      return new Response(frameBody(frames, codec, hooks), { headers: answerHeaders('text/event-stream', selection) })
    }
  }
}

/** Canonical events passed on unchanged; their usage and finish reason land on the exchange. */
function tapUsage(events: AsyncIterable<ChatEvent>, exchange: Exchange): AsyncIterable<ChatEvent> {
  const iterator = events[Symbol.asyncIterator]()
  const tapped: AsyncIterator<ChatEvent> = {
    async next() {
      const result = await iterator.next()
      if (!result.done) {
        const event = result.value
        if (event.type === 'finish') {
          exchange.addUsage(event.usage.inputTokens, event.usage.outputTokens)
          exchange.finishReason = event.reason
        } else if (event.type === 'usage' || (event.type === 'start' && event.usage)) {
          exchange.addUsage(event.usage?.inputTokens, event.usage?.outputTokens)
        }
      }
      return result
    },
    return: (value?: unknown) => (iterator.return ? iterator.return(value) : Promise.resolve({ done: true, value: undefined })),
  }
  return { [Symbol.asyncIterator]: () => tapped }
}

const legacyOf = (canonical: ChatRequest | undefined) => (canonical?.legacyFunctions ? { legacyFunctions: true } : {})

/** The stream body's end releases the member and closes the exchange (monitoring waits for it). */
function endHooks(runtime: Runtime, lease: Lease, exchange: Exchange, beforeFinish?: () => void): BodyHooks {
  exchange.deferred = true
  const leave = runtime.drain.enter()
  return {
    forClient: runtime.log.forClient,
    onEnd(error?: GatewayError) {
      leave()
      if (error) lease.failed(error)
      lease.end()
      beforeFinish?.()
      runtime.observer.finish(exchange, exchange.status || 200, error)
    },
  }
}

function answerText(response: ChatResponse): string {
  return response.parts.map((part) => (part.type === 'text' ? part.text : '')).join('')
}
