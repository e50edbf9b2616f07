// Loads the hand-written OpenAI wire fixtures in tests/fixtures/openai.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ChatEvent } from '../../../src/chat/types.ts'
import { createOpenAICodec } from '../../../src/dialects/openai/index.ts'
import { decodeSse } from '../../../src/upstream/sse.ts'
import { collect, randomlySplit } from '../../helpers/chunks.ts'

export const FIXTURE_DIR = join(import.meta.dir, '../../fixtures/openai')

/** 2023-11-14T22:13:20Z: every `created` the codec writes in tests. */
export const FIXED_NOW_MS = 1_700_000_000_000

/** A codec with a fixed clock and counting ids, so encoded output is exact. */
export function testCodec() {
  let counter = 0
  return createOpenAICodec({ now: () => FIXED_NOW_MS, newId: (prefix) => `${prefix}gen${++counter}` })
}

export function readFixtureText(name: string): string {
  return readFileSync(join(FIXTURE_DIR, name), 'utf8')
}

export function readFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFixtureText(name)) as T
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR).filter((name) => name.endsWith('.json') && name !== 'upstream-error.json')
}

/** Decodes SSE text delivered in random byte pieces (splits land inside multi-byte characters). */
export function decodeSplitStream(text: string, seed: number, maxPiece = 7): Promise<ChatEvent[]> {
  return collect(testCodec().decodeStream(decodeSse(randomlySplit(text, seed, maxPiece))))
}

export { streamOf as eventsOf } from '../../helpers/chunks.ts'
