// Reads the recorded Anthropic wire shapes in tests/fixtures/anthropic.
import type { SseEvent } from '../../../src/upstream/sse.ts'
import { decodeSse } from '../../../src/upstream/sse.ts'
import { collect, streamOf } from '../../helpers/chunks.ts'

const FOLDER = new URL('../../fixtures/anthropic/', import.meta.url)

export async function fixtureText(name: string): Promise<string> {
  return Bun.file(new URL(name, FOLDER)).text()
}

export async function fixtureJson(name: string): Promise<Record<string, unknown>> {
  return JSON.parse(await fixtureText(name)) as Record<string, unknown>
}

/** SSE text as parsed frames: event name and JSON data. */
export async function sseFrames(text: string): Promise<Array<{ event?: string; data: Record<string, unknown> }>> {
  const events: SseEvent[] = await collect(decodeSse(streamOf([new TextEncoder().encode(text)])))
  return events.map((event) => ({ ...(event.event === undefined ? {} : { event: event.event }), data: JSON.parse(event.data) as Record<string, unknown> }))
}

export async function* sseOf(text: string): AsyncGenerator<SseEvent> {
  yield* decodeSse(streamOf([new TextEncoder().encode(text)]))
}

export { streamOf as itemsOf } from '../../helpers/chunks.ts'
