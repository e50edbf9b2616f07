import { describe, expect, test } from 'bun:test'
import { seededRandom } from '../helpers/chunks.ts'
import { buildAnswer } from './shared/answer.ts'
import { faultIndex, writeBody, type BodyPlan, type Frame } from './shared/body-writer.ts'
import { ScenarioQueue } from './shared/scenario.ts'
import { fillerText, fragmentJson, splitText } from './shared/text-pieces.ts'

const frames = (...kinds: ('c' | 'm')[]): Frame[] => kinds.map((kind, i) => ({ text: `${kind}${i};`, content: kind === 'c' }))

async function collect(plan: Partial<BodyPlan> & { frames: Frame[] }): Promise<(string | Uint8Array)[]> {
  const out: (string | Uint8Array)[] = []
  const full: BodyPlan = { errorFrame: 'ERR;', malformedFrame: 'BAD;', pacing: {}, signal: new AbortController().signal, ...plan }
  for await (const piece of writeBody(full)) out.push(piece)
  return out
}

describe('splitText', () => {
  test('cuts ordinary text into about four pieces that join back', () => {
    const pieces = splitText('echo: hello there')
    expect(pieces.length).toBe(4)
    expect(pieces.join('')).toBe('echo: hello there')
  })

  test('gives at least the pieces a fault needs when the text is long enough', () => {
    expect(splitText('abcdefghij', 6).length).toBeGreaterThanOrEqual(6)
    expect(splitText('abc', 6)).toEqual(['a', 'b', 'c'])
  })

  test('never cuts a surrogate pair', () => {
    const text = '😀😁😂🤣😃'
    for (const min of [0, 2, 3, 5, 10]) {
      for (const piece of splitText(text, min)) expect(piece.isWellFormed()).toBe(true)
    }
  })

  test('keeps pieces of huge text at 16 KiB or less', () => {
    const pieces = splitText(fillerText(100_000))
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThanOrEqual(16_384)
    expect(pieces.join('').length).toBe(100_000)
  })
})

describe('fragmentJson', () => {
  const json = JSON.stringify({ city: 'Pa"ris 東京 😀', path: 'C:\\tmp', n: 1 })

  test('fragments join back to the JSON text', () => {
    expect(fragmentJson(json, seededRandom(7)).join('')).toBe(json)
  })

  test('cuts right after the first backslash, inside an escape', () => {
    const fragments = fragmentJson(json, seededRandom(7))
    expect(fragments.some((fragment) => fragment.endsWith('\\'))).toBe(true)
  })

  test('no single fragment of a small object parses on its own', () => {
    for (const text of ['{}', '{"a":1}', '[1]']) {
      const fragments = fragmentJson(text, seededRandom(3))
      expect(fragments.length).toBeGreaterThanOrEqual(2)
      for (const fragment of fragments) expect(() => JSON.parse(fragment)).toThrow()
    }
  })

  test('the same seed gives the same cuts', () => {
    expect(fragmentJson(json, seededRandom(11))).toEqual(fragmentJson(json, seededRandom(11)))
  })
})

describe('buildAnswer', () => {
  const input = { lastUserText: 'hi', inputTokens: 10, toolCallId: (i: number) => `id${i}`, random: seededRandom(1) }

  test('echoes the last user text by default', () => {
    expect(buildAnswer({ kind: 'text' }, input).text).toBe('echo: hi')
  })

  test('counts reasoning into the output tokens', () => {
    const answer = buildAnswer({ kind: 'thinking', thinking: 'x'.repeat(40), text: 'done' }, input)
    expect(answer.reasoningTokens).toBe(10)
    expect(answer.outputTokens).toBe(11)
  })

  test('keeps tool-call arguments as JSON text and their fragments', () => {
    const answer = buildAnswer({ kind: 'tool_calls', calls: [{ name: 'f', arguments: { a: [1, 2] } }] }, input)
    expect(answer.finish).toBe('tool_calls')
    expect(answer.toolCalls[0]?.arguments).toBe('{"a":[1,2]}')
    expect(answer.toolCalls[0]?.fragments.join('')).toBe('{"a":[1,2]}')
  })
})

describe('faultIndex', () => {
  test('lands before the content frame after the given count', () => {
    expect(faultIndex(frames('m', 'c', 'c', 'c', 'm'), 0)).toBe(1)
    expect(faultIndex(frames('m', 'c', 'c', 'c', 'm'), 2)).toBe(3)
  })

  test('lands right after the last content frame when there are fewer', () => {
    expect(faultIndex(frames('m', 'c', 'c', 'm', 'm'), 5)).toBe(3)
  })
})

describe('writeBody', () => {
  const all = frames('m', 'c', 'c', 'm')

  test('writes every frame when nothing goes wrong', async () => {
    expect((await collect({ frames: all })).join('')).toBe('m0;c1;c2;m3;')
  })

  test('cut, error and malformed faults end the body at their place', async () => {
    expect((await collect({ frames: all, fault: { action: 'cut', index: 2 } })).join('')).toBe('m0;c1;')
    expect((await collect({ frames: all, fault: { action: 'error', index: 2 } })).join('')).toBe('m0;c1;ERR;')
    expect((await collect({ frames: all, fault: { action: 'malformed', index: 1 } })).join('')).toBe('m0;BAD;')
  })

  test('a reset fault makes the body fail after the frames before it', async () => {
    const seen: string[] = []
    const plan: BodyPlan = {
      frames: all,
      fault: { action: 'reset', index: 2 },
      errorFrame: '',
      malformedFrame: '',
      pacing: {},
      signal: new AbortController().signal,
    }
    let failed = false
    try {
      for await (const piece of writeBody(plan)) seen.push(String(piece))
    } catch {
      failed = true
    }
    expect(failed).toBe(true)
    expect(seen.join('')).toBe('m0;c1;')
  })

  test('a stall holds the rest until the promise settles', async () => {
    const gate = Promise.withResolvers<void>()
    const body = writeBody({
      frames: all,
      fault: { action: 'stall', until: gate.promise, index: 2 },
      errorFrame: '',
      malformedFrame: '',
      pacing: {},
      signal: new AbortController().signal,
    })
    expect((await body.next()).value).toBe('m0;')
    expect((await body.next()).value).toBe('c1;')
    let settled = false
    const held = body.next().then((result) => {
      settled = true
      return result
    })
    await new Promise((resolve) => setImmediate(resolve))
    expect(settled).toBe(false)
    gate.resolve()
    expect((await held).value).toBe('c2;')
    expect((await body.next()).value).toBe('m3;')
    expect((await body.next()).done).toBe(true)
  })

  test('a stall ends quietly when the client goes away', async () => {
    const abort = new AbortController()
    const never = new Promise<void>(() => {})
    const out: string[] = []
    const reading = (async () => {
      for await (const piece of writeBody({
        frames: all,
        fault: { action: 'stall', until: never, index: 1 },
        errorFrame: '',
        malformedFrame: '',
        pacing: {},
        signal: abort.signal,
      }))
        out.push(String(piece))
    })()
    abort.abort()
    await reading
    expect(out).toEqual(['m0;'])
  })

  test('split writes cut the bytes in small seeded pieces, also inside UTF-8 characters', async () => {
    const text = 'data: {"content":"héllo wörld 東京 😀"}\n\n'
    const run = () => collect({ frames: [{ text, content: true }], pacing: { split: { seed: 5, maxPiece: 4 } } })
    const pieces = (await run()) as Uint8Array[]
    expect(pieces.length).toBeGreaterThan(10)
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThanOrEqual(4)
    expect(new TextDecoder().decode(Buffer.concat(pieces))).toBe(text)
    const fatal = new TextDecoder('utf-8', { fatal: true })
    expect(
      pieces.some((piece) => {
        try {
          fatal.decode(piece)
          return false
        } catch {
          return true
        }
      }),
    ).toBe(true)
    expect((await run()).map((piece) => (piece as Uint8Array).length)).toEqual(pieces.map((piece) => piece.length))
  })
})

describe('ScenarioQueue', () => {
  test('hands out scenarios first in, first out, then nothing', () => {
    const queue = new ScenarioQueue()
    queue.enqueue({ kind: 'reset' }, { kind: 'text', text: 'b' })
    expect(queue.pending).toBe(2)
    expect(queue.next()).toEqual({ kind: 'reset' })
    expect(queue.next()).toEqual({ kind: 'text', text: 'b' })
    expect(queue.next()).toBeUndefined()
  })
})
