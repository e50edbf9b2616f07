// Typed reads from an untrusted JSON object. Every failure names the field path, so a
// client sees `messages[2].content must be …` instead of a generic schema error.
// JSON `null` counts as absent: many OpenAI clients send `"stop": null` for "not set".
import { badRequest } from '../../errors/gateway-error.ts'

export type JsonObject = Record<string, unknown>

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `parent.key`, or `key` at the top level. */
function fieldPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`
}

export function requireObject(value: unknown, path: string): JsonObject {
  if (!isJsonObject(value)) throw badRequest(`${path} must be an object`)
  return value
}

export function requireString(object: JsonObject, key: string, parent: string): string {
  const value = object[key]
  if (typeof value !== 'string') throw badRequest(`${fieldPath(parent, key)} must be a string`)
  return value
}

export function optionalString(object: JsonObject, key: string, parent: string): string | undefined {
  const value = object[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw badRequest(`${fieldPath(parent, key)} must be a string`)
  return value
}

export function optionalBoolean(object: JsonObject, key: string, parent: string): boolean | undefined {
  const value = object[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') throw badRequest(`${fieldPath(parent, key)} must be true or false`)
  return value
}

export function optionalNumber(object: JsonObject, key: string, parent: string): number | undefined {
  const value = object[key]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) throw badRequest(`${fieldPath(parent, key)} must be a number`)
  return value
}

export function optionalInteger(object: JsonObject, key: string, parent: string, minimum?: number): number | undefined {
  const value = optionalNumber(object, key, parent)
  if (value === undefined) return undefined
  if (!Number.isInteger(value)) throw badRequest(`${fieldPath(parent, key)} must be an integer`)
  if (minimum !== undefined && value < minimum) {
    throw badRequest(`${fieldPath(parent, key)} must be an integer of at least ${minimum}`)
  }
  return value
}

export function optionalArray(object: JsonObject, key: string, parent: string): unknown[] | undefined {
  const value = object[key]
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value)) throw badRequest(`${fieldPath(parent, key)} must be an array`)
  return value
}
