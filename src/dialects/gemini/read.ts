// Narrowing helpers for client bodies: each failure is a 400 naming the field path, so
// a client learns exactly which part of its request was wrong.
import { badRequest } from '../../errors/gateway-error.ts'

export type Json = Record<string, unknown>

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * A field by its camelCase name, or by the snake_case spelling Google's REST API accepts
 * too (`inline_data`, `function_declarations`, `system_instruction`…).
 */
export function field(record: Json, key: string): unknown {
  const value = record[key]
  return value !== undefined ? value : record[key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)]
}

/** `path.key`, or just `key` at the top of the body (path ''). */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`
  return path === '' ? key : `${path}.${key}`
}

export function expectRecord(value: unknown, path: string): Json {
  if (!isRecord(value)) throw badRequest(`${path} must be an object`)
  return value
}

export function expectArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw badRequest(`${path} must be an array`)
  return value
}

export function expectString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw badRequest(`${path} must be a string`)
  return value
}

export function optionalString(record: Json, key: string, path: string): string | undefined {
  const value = field(record, key)
  return value === undefined || value === null ? undefined : expectString(value, at(path, key))
}

export function optionalNumber(record: Json, key: string, path: string): number | undefined {
  const value = field(record, key)
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) throw badRequest(`${at(path, key)} must be a number`)
  return value
}

export function optionalInteger(record: Json, key: string, path: string): number | undefined {
  const value = optionalNumber(record, key, path)
  if (value !== undefined && !Number.isInteger(value)) throw badRequest(`${at(path, key)} must be an integer`)
  return value
}

export function optionalBoolean(record: Json, key: string, path: string): boolean | undefined {
  const value = field(record, key)
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') throw badRequest(`${at(path, key)} must be a boolean`)
  return value
}

export function optionalRecord(record: Json, key: string, path: string): Json | undefined {
  const value = field(record, key)
  return value === undefined || value === null ? undefined : expectRecord(value, at(path, key))
}

export function optionalArray(record: Json, key: string, path: string): unknown[] | undefined {
  const value = field(record, key)
  return value === undefined || value === null ? undefined : expectArray(value, at(path, key))
}
