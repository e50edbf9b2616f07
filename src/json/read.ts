// Typed reads of untrusted JSON (client bodies, upstream answers, files). Every failure
// names the field path and what was there — "messages[2].content must be a string, got 5" —
// and is built by the caller's `fail`, so a bad client body becomes a 400 and a bad
// upstream answer a 502. JSON `null` counts as absent: many clients send `"stop": null`.
import { quoteInput } from '../errors/echo.ts'

export type JsonObject = Record<string, unknown>

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The text parsed as JSON, or undefined when it is not JSON (error bodies may be any text). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The text parsed as a JSON object, or undefined when it is not one. */
export function parseJsonObject(text: string): JsonObject | undefined {
  const parsed = parseJson(text)
  return isRecord(parsed) ? parsed : undefined
}

/** The text as a JSON object; otherwise throws `fail("not JSON" | "not a JSON object", cause)`. */
export function expectJsonObject(text: string, fail: (problem: string, cause?: unknown) => Error): JsonObject {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw fail('not JSON', error)
  }
  if (!isRecord(value)) throw fail('not a JSON object')
  return value
}

/** `path.key`, `path[index]`, or just `key` at the top of the body (path ''). */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`
  return path === '' ? key : `${path}.${key}`
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value)
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : quoteInput(value)
}

export type Fail = (message: string) => Error
/** How a field is looked up; Gemini also accepts the snake_case spelling of each name. */
export type Lookup = (object: JsonObject, key: string) => unknown

export interface JsonReader {
  record(value: unknown, path: string): JsonObject
  array(value: unknown, path: string): unknown[]
  string(value: unknown, path: string): string
  number(value: unknown, path: string): number
  /** An integer no smaller than `minimum` when one is given. */
  integer(value: unknown, path: string, minimum?: number): number
  boolean(value: unknown, path: string): boolean
  /** `undefined` when the value is absent or null, else read with `read`. */
  optional<T>(value: unknown, path: string, read: (value: unknown, path: string) => T): T | undefined
  // Shorthands for an optional field `key` of `object`, reported as `parent.key`.
  optionalRecord(object: JsonObject, key: string, parent: string): JsonObject | undefined
  optionalArray(object: JsonObject, key: string, parent: string): unknown[] | undefined
  optionalString(object: JsonObject, key: string, parent: string): string | undefined
  optionalNumber(object: JsonObject, key: string, parent: string): number | undefined
  optionalInteger(object: JsonObject, key: string, parent: string, minimum?: number): number | undefined
  optionalBoolean(object: JsonObject, key: string, parent: string): boolean | undefined
}

const ownField: Lookup = (object, key) => object[key]

export function jsonReader(fail: Fail, lookup: Lookup = ownField): JsonReader {
  const must = (path: string, wanted: string, value: unknown) => fail(`${path} must be ${wanted}, got ${describe(value)}`)
  const reader: JsonReader = {
    record(value, path) {
      if (!isRecord(value)) throw must(path, 'an object', value)
      return value
    },
    array(value, path) {
      if (!Array.isArray(value)) throw must(path, 'an array', value)
      return value
    },
    string(value, path) {
      if (typeof value !== 'string') throw must(path, 'a string', value)
      return value
    },
    number(value, path) {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw must(path, 'a number', value)
      return value
    },
    integer(value, path, minimum) {
      if (typeof value !== 'number' || !Number.isInteger(value) || (minimum !== undefined && value < minimum)) {
        throw must(path, minimum === undefined ? 'an integer' : `an integer of at least ${minimum}`, value)
      }
      return value
    },
    boolean(value, path) {
      if (typeof value !== 'boolean') throw must(path, 'true or false', value)
      return value
    },
    optional(value, path, read) {
      return value === undefined || value === null ? undefined : read(value, path)
    },
    optionalRecord: (object, key, parent) => reader.optional(lookup(object, key), at(parent, key), reader.record),
    optionalArray: (object, key, parent) => reader.optional(lookup(object, key), at(parent, key), reader.array),
    optionalString: (object, key, parent) => reader.optional(lookup(object, key), at(parent, key), reader.string),
    optionalNumber: (object, key, parent) => reader.optional(lookup(object, key), at(parent, key), reader.number),
    optionalInteger: (object, key, parent, minimum) =>
      reader.optional(lookup(object, key), at(parent, key), (value, path) => reader.integer(value, path, minimum)),
    optionalBoolean: (object, key, parent) => reader.optional(lookup(object, key), at(parent, key), reader.boolean),
  }
  return reader
}
