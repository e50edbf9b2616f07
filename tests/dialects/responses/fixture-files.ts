// Loads the Responses API wire fixtures in tests/fixtures/responses (shapes as the official
// API sends them) and builds a codec whose clock and ids are fixed, so output is exact.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createResponsesCodec } from '../../../src/dialects/responses/index.ts'

export const FIXTURE_DIR = join(import.meta.dir, '../../fixtures/responses')

/** 2023-11-14T22:13:20Z: every `created_at` the codec writes in tests. */
export const FIXED_NOW_MS = 1_700_000_000_000

export function testCodec() {
  let counter = 0
  return createResponsesCodec({ now: () => FIXED_NOW_MS, newId: (prefix) => `${prefix}gen${++counter}` })
}

export const readFixtureText = (name: string) => readFileSync(join(FIXTURE_DIR, name), 'utf8')
export const readFixture = <T = Record<string, unknown>>(name: string) => JSON.parse(readFixtureText(name)) as T

export function fixtureNames(): string[] {
  // An error body and a client's whole request are checked on their own.
  return readdirSync(FIXTURE_DIR).filter((name) => name.endsWith('.json') && name !== 'upstream-error.json' && name !== 'codex-request.json')
}
