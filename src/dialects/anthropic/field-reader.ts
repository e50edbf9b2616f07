// Typed reads of untrusted JSON that fail with a message naming the field path, so a bad
// client body becomes a precise 400 and a bad upstream body a precise 502.
import type { GatewayError } from '../../errors/gateway-error.ts'
import { quoteInput } from '../../errors/echo.ts'

export type Fail = (message: string) => GatewayError

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `${typeof value} ${quoteInput(value)}`
}

export interface FieldReader {
  record(value: unknown, path: string): Record<string, unknown>
  array(value: unknown, path: string): unknown[]
  string(value: unknown, path: string): string
  number(value: unknown, path: string): number
  /** An integer no smaller than `minimum`. */
  integer(value: unknown, path: string, minimum?: number): number
  boolean(value: unknown, path: string): boolean
  /** `undefined` when the field is absent or null, else read with `read`. */
  optional<T>(value: unknown, path: string, read: (value: unknown, path: string) => T): T | undefined
}

export function fieldReader(fail: Fail): FieldReader {
  const reader: FieldReader = {
    record(value, path) {
      if (!isRecord(value)) throw fail(`${path} must be an object, got ${describe(value)}`)
      return value
    },
    array(value, path) {
      if (!Array.isArray(value)) throw fail(`${path} must be an array, got ${describe(value)}`)
      return value
    },
    string(value, path) {
      if (typeof value !== 'string') throw fail(`${path} must be a string, got ${describe(value)}`)
      return value
    },
    number(value, path) {
      if (typeof value !== 'number' || !Number.isFinite(value)) throw fail(`${path} must be a number, got ${describe(value)}`)
      return value
    },
    integer(value, path, minimum = Number.MIN_SAFE_INTEGER) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
        const bound = minimum === Number.MIN_SAFE_INTEGER ? '' : ` >= ${minimum}`
        throw fail(`${path} must be an integer${bound}, got ${describe(value)}`)
      }
      return value
    },
    boolean(value, path) {
      if (typeof value !== 'boolean') throw fail(`${path} must be a boolean, got ${describe(value)}`)
      return value
    },
    optional(value, path, read) {
      return value === undefined || value === null ? undefined : read(value, path)
    },
  }
  return reader
}
