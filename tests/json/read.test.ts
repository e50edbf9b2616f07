import { describe, expect, test } from 'bun:test'
import { at, expectJsonObject, isRecord, jsonReader, parseJson, parseJsonObject } from '../../src/json/read.ts'

class Refused extends Error {}
const read = jsonReader((message) => new Refused(message))
const failure = (run: () => unknown): string => {
  try {
    run()
  } catch (error) {
    if (error instanceof Refused) return error.message
    throw error
  }
  throw new Error('expected a refusal')
}

describe('isRecord and parseJsonObject', () => {
  test('only plain objects count as records', () => {
    expect([{}, { a: 1 }].map(isRecord)).toEqual([true, true])
    expect([null, undefined, [], 'x', 1, true].map(isRecord)).toEqual([false, false, false, false, false, false])
  })

  test('parseJson gives any JSON value, or undefined for text that is not JSON', () => {
    expect([parseJson('[1]'), parseJson('"x"'), parseJson('Bad Gateway')]).toEqual([[1], 'x', undefined])
  })

  test('parseJsonObject gives the object, or undefined for anything else', () => {
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 })
    expect(['[1]', '"x"', 'null', '{"a":', ''].map(parseJsonObject)).toEqual([undefined, undefined, undefined, undefined, undefined])
  })
})

describe('expectJsonObject', () => {
  const refuse = (problem: string, cause?: unknown) => new Refused(`frame is ${problem}${cause === undefined ? '' : ' (parse error)'}`)

  test('gives the object, and tells text that is not JSON from JSON that is not an object', () => {
    expect(expectJsonObject('{"a":1}', refuse)).toEqual({ a: 1 })
    expect(failure(() => expectJsonObject('{"a":', refuse))).toBe('frame is not JSON (parse error)')
    expect(failure(() => expectJsonObject('[1]', refuse))).toBe('frame is not a JSON object')
  })
})

describe('jsonReader', () => {
  test('at builds field paths', () => {
    expect([at('', 'model'), at('tools', 2), at('a.b', 'c')]).toEqual(['model', 'tools[2]', 'a.b.c'])
  })

  test('each refusal names the path, what was wanted and what came', () => {
    expect(failure(() => read.record([], 'body'))).toBe('body must be an object, got an array')
    expect(failure(() => read.array({}, 'messages'))).toBe('messages must be an array, got an object')
    expect(failure(() => read.string(5, 'model'))).toBe('model must be a string, got 5')
    expect(failure(() => read.number('0.5', 'temperature'))).toBe('temperature must be a number, got "0.5"')
    expect(failure(() => read.integer(0, 'max_tokens', 1))).toBe('max_tokens must be an integer of at least 1, got 0')
    expect(failure(() => read.integer(1.5, 'seed'))).toBe('seed must be an integer, got 1.5')
    expect(failure(() => read.boolean(null, 'stream'))).toBe('stream must be true or false, got null')
    expect(failure(() => read.string(undefined, 'role'))).toBe('role must be a string, got undefined')
  })

  test('optional fields treat null and absence alike and check anything else', () => {
    const body = { stop: null, user: 'u1', top_k: 'x' }
    expect(read.optionalString(body, 'stop', '')).toBeUndefined()
    expect(read.optionalString(body, 'missing', '')).toBeUndefined()
    expect(read.optionalString(body, 'user', '')).toBe('u1')
    expect(failure(() => read.optionalInteger(body, 'top_k', 'generation'))).toBe('generation.top_k must be an integer, got "x"')
  })

  test('a lookup can find a field under another spelling', () => {
    const snake = jsonReader(
      (message) => new Refused(message),
      (object, key) => object[key] ?? object[key.toLowerCase()],
    )
    expect(snake.optionalNumber({ maxtokens: 3 }, 'maxTokens', '')).toBe(3)
  })
})
