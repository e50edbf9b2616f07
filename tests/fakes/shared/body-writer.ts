// Writes a response body frame by frame, with the faults and pacing a scenario asks for.
// Faults fire before a given frame; pacing can hand every frame (or every random byte piece)
// to the socket separately, which Bun only does when the writer yields to the event loop.
import { seededRandom } from '../../helpers/chunks.ts'

export interface Frame {
  text: string
  /** Content frames are what fault positions count (text, thinking and argument pieces). */
  content: boolean
}

export type FaultAction = { action: 'error' | 'cut' | 'malformed' } | { action: 'reset'; until?: Promise<void> } | { action: 'stall'; until: Promise<void> }

/** A fault that fires just before `frames[index]` (or at the end when index = frames.length). */
export type PlacedFault = FaultAction & { index: number }

export interface Pacing {
  gapMs?: number
  split?: { seed: number; maxPiece: number }
}

export interface BodyPlan {
  frames: Frame[]
  fault?: PlacedFault
  /** What the `error` fault writes (the provider's in-stream error). */
  errorFrame: string
  /** What the `malformed` fault writes. */
  malformedFrame: string
  pacing: Pacing
  signal: AbortSignal
}

/** Where a fault after `chunks` content frames lands: before the next content frame, else after the last one. */
export function faultIndex(frames: Frame[], chunks: number): number {
  let seen = 0
  let afterLastContent = 0
  for (let i = 0; i < frames.length; i++) {
    if (!frames[i]?.content) continue
    if (seen === chunks) return i
    seen++
    afterLastContent = i + 1
  }
  return afterLastContent
}

/** Resolves when `until` settles or the client goes away, whichever is first. */
export function untilOrAborted(until: Promise<unknown>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
    until.then(done, done)
  })
}

/** Sleeps `ms`, cut short when the client goes away. */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const slept = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms)
  })
  return untilOrAborted(slept, signal).finally(() => clearTimeout(timer))
}

const encoder = new TextEncoder()
// Two turns of the event loop let Bun put most pieces on the wire separately; a client that
// reads late still gets several at once, joined at arbitrary boundaries. setTimeout(0) would
// separate more of them but costs about 1 ms per piece.
const nextTask = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)))

/** The body as an async generator for `new Response(...)`. */
export async function* writeBody(plan: BodyPlan): AsyncGenerator<string | Uint8Array> {
  const { frames, fault, pacing, signal } = plan
  const random = pacing.split ? seededRandom(pacing.split.seed) : undefined
  const emit = async function* (text: string): AsyncGenerator<string | Uint8Array> {
    if (!random || !pacing.split) {
      yield text
      return
    }
    const bytes = encoder.encode(text)
    for (let at = 0; at < bytes.length; ) {
      const size = 1 + Math.floor(random() * pacing.split.maxPiece)
      yield bytes.subarray(at, at + size)
      at += size
      await nextTask()
    }
  }
  for (let i = 0; i <= frames.length; i++) {
    if (signal.aborted) return
    if (fault && fault.index === i) {
      switch (fault.action) {
        case 'cut':
          return
        case 'error':
          yield* emit(plan.errorFrame)
          return
        case 'malformed':
          yield* emit(plan.malformedFrame)
          return
        case 'reset':
          // Bun sends nothing at all when the body fails before the event loop turns, so let
          // the head and earlier frames go out first. Throwing `undefined` makes Bun abort the
          // connection without logging a stack trace.
          if (fault.until) await untilOrAborted(fault.until, signal)
          await nextTask()
          throw undefined
        case 'stall':
          await untilOrAborted(fault.until, signal)
          if (signal.aborted) return
          break
      }
    }
    const frame = frames[i]
    if (frame === undefined) return
    if (pacing.gapMs !== undefined && i > 0) {
      if (pacing.gapMs > 0) await sleepUnlessAborted(pacing.gapMs, signal)
      else await nextTask()
    }
    yield* emit(frame.text)
  }
}

/** A response whose connection closes before any byte: Bun drops the socket, clients see ECONNRESET. */
export function resetResponse(): Response {
  return new Response(
    new ReadableStream({
      start(controller) {
        // An `undefined` reason keeps Bun from printing the error as unhandled.
        controller.error(undefined)
      },
    }),
  )
}
