// Seeded fuzzing of every dialect's decoders with mutated golden fixtures: a decoder may
// succeed or throw a GatewayError (4xx for client requests, an upstream failure for
// responses and streams), but never crash with a TypeError or anything else.
import { describe, expect, test } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CODECS } from '../../src/dialects/index.ts'
import { decodeSse } from '../../src/upstream/sse.ts'
import type { Dialect } from '../../src/dialects/types.ts'
import { GatewayError } from '../../src/errors/gateway-error.ts'
import { seededRandom, streamOf } from '../helpers/chunks.ts'
import { mutateBytes, mutateJson } from './mutate.ts'

const ITERATIONS = 1000
const FIXTURES = join(import.meta.dir, '..', 'fixtures')

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
const filesIn = (dir: string, suffix: string) =>
  readdirSync(join(FIXTURES, dir))
    .filter((name) => name.endsWith(suffix) && !name.endsWith('.expected.json'))
    .map((name) => join(FIXTURES, dir, name))

interface Seeds {
  requests: unknown[]
  responses: unknown[]
  streams: Uint8Array[]
  model?: string
}

function seedsOf(dialect: Dialect): Seeds {
  switch (dialect) {
    case 'openai': {
      const cases = filesIn('openai', '.json').map(readJson)
      return {
        requests: cases.flatMap((c) => (c.request ? [c.request] : [])),
        responses: cases.flatMap((c) => (c.response ? [c.response] : [])),
        streams: filesIn('openai', '.sse')
          .filter((path) => !path.endsWith('.client.sse'))
          .map((path) => readFileSync(path)),
      }
    }
    case 'anthropic': {
      const files = filesIn('anthropic', '.json')
      return {
        requests: files.filter((path) => path.includes('request-')).map(readJson),
        responses: files.filter((path) => path.includes('response-')).map(readJson),
        streams: filesIn('anthropic', '.sse').map((path) => readFileSync(path)),
      }
    }
    case 'gemini':
      return {
        requests: filesIn('gemini/requests', '.json').map((path) => readJson(path).wire),
        responses: filesIn('gemini/responses', '.json').map((path) => readJson(path).wire),
        streams: filesIn('gemini/streams', '.sse').map((path) => readFileSync(path)),
        model: 'gemini-2.5-flash',
      }
    case 'responses': {
      const cases = filesIn('responses', '.json').map(readJson)
      return {
        requests: cases.flatMap((c) => (c.request ? [c.request] : [])),
        responses: cases.flatMap((c) => (c.response ? [c.response] : [])),
        streams: filesIn('responses', '.sse')
          .filter((path) => !path.endsWith('.client.sse'))
          .map((path) => readFileSync(path)),
      }
    }
  }
}

/** Outcomes of one fuzz run: how many inputs were rejected properly, and every crash. */
class Tally {
  accepted = 0
  rejected = 0
  readonly crashes: string[] = []

  /** Runs `work`; a throw that is not an acceptable GatewayError is recorded as a crash. */
  async run(work: () => unknown, acceptable: (error: GatewayError) => boolean, label: () => string): Promise<void> {
    try {
      await work()
      this.accepted++
    } catch (error) {
      if (error instanceof GatewayError && acceptable(error)) {
        this.rejected++
        return
      }
      const what = error instanceof GatewayError ? `GatewayError ${error.status} ${error.kind}: ${error.message}` : String((error as Error)?.stack ?? error)
      this.crashes.push(`${label()}\n  → ${what}`)
    }
  }

  /** No crash, and the mutations really exercised both outcomes. */
  verify(): void {
    expect(this.crashes.slice(0, 3)).toEqual([])
    expect(this.accepted).toBeGreaterThan(0)
    expect(this.rejected).toBeGreaterThan(ITERATIONS / 10)
  }
}

const isClientError = (error: GatewayError) => error.status >= 400 && error.status < 500
/** Upstream garbage is a 502; an upstream error event keeps its own status — never a 500. */
const isUpstreamFailure = (error: GatewayError) => error.status >= 400 && error.status !== 500 && error.kind !== 'internal'

describe.each<Dialect>(['openai', 'anthropic', 'gemini', 'responses'])('%s decoders under mutation', (dialect) => {
  const codec = CODECS[dialect]
  const seeds = seedsOf(dialect)

  test('the fixtures are there to mutate', () => {
    expect(seeds.requests.length).toBeGreaterThan(0)
    expect(seeds.responses.length).toBeGreaterThan(0)
    expect(seeds.streams.length).toBeGreaterThan(0)
  })

  test(`decodeRequest: ${ITERATIONS} mutated requests → success or a 4xx GatewayError`, async () => {
    const random = seededRandom(0x5eed01)
    const tally = new Tally()
    for (let i = 0; i < ITERATIONS; i++) {
      const body = mutateJson(seeds.requests[i % seeds.requests.length], random)
      const stream = random() < 0.5
      await tally.run(
        () => codec.decodeRequest(body, { ...(seeds.model ? { model: seeds.model } : {}), stream }),
        isClientError,
        () => `#${i} ${JSON.stringify(body).slice(0, 300)}`,
      )
    }
    tally.verify()
  })

  test(`decodeResponse: ${ITERATIONS} mutated responses → success or an upstream-failure GatewayError`, async () => {
    const random = seededRandom(0x5eed02)
    const tally = new Tally()
    for (let i = 0; i < ITERATIONS; i++) {
      const body = mutateJson(seeds.responses[i % seeds.responses.length], random)
      await tally.run(
        () => codec.decodeResponse(body),
        isUpstreamFailure,
        () => `#${i} ${JSON.stringify(body).slice(0, 300)}`,
      )
    }
    tally.verify()
  })

  test(`decodeStream: ${ITERATIONS} mutated streams → events or an upstream-failure GatewayError`, async () => {
    const random = seededRandom(0x5eed03)
    const tally = new Tally()
    for (let i = 0; i < ITERATIONS; i++) {
      const bytes = mutateBytes(seeds.streams[i % seeds.streams.length] as Uint8Array, random)
      const consume = async () => {
        for await (const event of codec.decodeStream(decodeSse(streamOf([bytes])))) expect(event).toBeDefined()
      }
      await tally.run(consume, isUpstreamFailure, () => `#${i} ${JSON.stringify(new TextDecoder().decode(bytes)).slice(0, 300)}`)
    }
    tally.verify()
  })
})
