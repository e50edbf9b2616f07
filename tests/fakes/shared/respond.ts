// Turns a scenario into a Response. The provider supplies its wire format (how an answer,
// an error and a broken frame look); everything about timing and faults is shared.
import { buildAnswer, type Answer, type AnswerInput } from './answer.ts'
import { faultIndex, resetResponse, sleepUnlessAborted, untilOrAborted, writeBody, type FaultAction, type Frame, type Pacing } from './body-writer.ts'
import type { AnswerScenario, Scenario, StreamFaultScenario } from './scenario.ts'

export interface WireFormat {
  /** Every SSE frame of a complete streamed answer, terminator included. */
  streamFrames(answer: Answer): Frame[]
  /** The JSON body of a complete non-stream answer. */
  body(answer: Answer): unknown
  /** The provider's in-stream error frame. */
  streamErrorFrame(): string
  /** A frame whose JSON is cut short. */
  malformedFrame(): string
  /** The HTTP error a non-stream request gets instead of an in-stream error. */
  overloadedResponse(): Response
  /** An HTTP error; `body` undefined → the provider's usual body for the status. */
  statusResponse(status: number, body: unknown, headers: Record<string, string>): Response
  successHeaders(stream: boolean): Record<string, string>
}

export interface RespondContext {
  wire: WireFormat
  stream: boolean
  signal: AbortSignal
  answerInput: AnswerInput
  pacing: Pacing
}

const GARBAGE = new Uint8Array([
  ...new TextEncoder().encode('<html><head><title>502 Bad Gateway</title></head>\r\n<body>upstream hiccup '),
  0xff,
  0xfe,
  0x00,
  0xc3,
  0x28,
  ...new TextEncoder().encode('</body></html>\r\n'),
])

function faultAction(scenario: StreamFaultScenario): FaultAction {
  switch (scenario.kind) {
    case 'stream-error-after':
      return { action: 'error' }
    case 'cut-after':
      return { action: 'cut' }
    case 'malformed-after':
      return { action: 'malformed' }
    case 'reset-after':
      return scenario.until ? { action: 'reset', until: scenario.until } : { action: 'reset' }
    case 'stall-after':
      return { action: 'stall', until: scenario.until }
  }
}

/** Splits a JSON body in two, so a non-stream fault can land in the middle of it. */
function halves(json: string): Frame[] {
  const middle = Math.floor(json.length / 2)
  return [
    { text: json.slice(0, middle), content: true },
    { text: json.slice(middle), content: true },
  ]
}

function answerResponse(scenario: AnswerScenario, fault: StreamFaultScenario | undefined, ctx: RespondContext): Response {
  const { wire, stream, pacing, signal } = ctx
  const minTextPieces = fault ? fault.chunks + 1 : 0
  const answer = buildAnswer(scenario, { ...ctx.answerInput, minTextPieces })
  const headers = wire.successHeaders(stream)
  const action = fault ? faultAction(fault) : undefined
  const plain = pacing.gapMs === undefined && pacing.split === undefined
  if (!stream) {
    if (action?.action === 'error') return wire.overloadedResponse()
    const json = JSON.stringify(wire.body(answer))
    if (!action && plain) return new Response(json, { headers })
    const frames = halves(json)
    const body = writeBody({
      frames,
      fault: action && { ...action, index: 1 },
      errorFrame: '',
      malformedFrame: '\u0000<truncated>',
      pacing,
      signal,
    })
    return new Response(body, { headers })
  }
  const frames = wire.streamFrames(answer)
  const body = writeBody({
    frames,
    fault: action && fault && { ...action, index: faultIndex(frames, fault.chunks) },
    errorFrame: wire.streamErrorFrame(),
    malformedFrame: wire.malformedFrame(),
    pacing,
    signal,
  })
  return new Response(body, { headers })
}

/** Plays one scenario for one request of the chat route. */
export async function respond(scenario: Scenario, ctx: RespondContext): Promise<Response> {
  switch (scenario.kind) {
    case 'delay':
      await sleepUnlessAborted(scenario.ms, ctx.signal)
      return ctx.signal.aborted ? resetResponse() : respond(scenario.then, ctx)
    case 'gate':
      await untilOrAborted(scenario.until, ctx.signal)
      return ctx.signal.aborted ? resetResponse() : respond(scenario.then, ctx)
    case 'slow-chunks':
      return respond(scenario.then ?? { kind: 'text' }, { ...ctx, pacing: { ...ctx.pacing, gapMs: scenario.gapMs } })
    case 'split-writes': {
      const split = { seed: scenario.seed, maxPiece: Math.max(1, scenario.maxPiece ?? 7) }
      return respond(scenario.then ?? { kind: 'text' }, { ...ctx, pacing: { ...ctx.pacing, split } })
    }
    case 'status':
      return ctx.wire.statusResponse(scenario.status, scenario.body, scenario.headers ?? {})
    case 'reset':
      return resetResponse()
    case 'garbage':
      return new Response(scenario.body ?? GARBAGE.slice(), { headers: ctx.wire.successHeaders(ctx.stream) })
    case 'stream-error-after':
    case 'cut-after':
    case 'stall-after':
    case 'malformed-after':
    case 'reset-after':
      return answerResponse(scenario.answer ?? { kind: 'text' }, scenario, ctx)
    default:
      return answerResponse(scenario, undefined, ctx)
  }
}
