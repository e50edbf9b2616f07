// One line for a body that failed its route schema: the field, what it must be (read from
// the schema, ranges included) and what it was — "max_tokens must be an integer of at
// least 1 or null, got 0" rather than the validator's "should be one of: 'integer', 'null'".

import { quoteInput } from '../errors/echo.ts'

type Schema = Record<string, unknown>

interface SchemaError {
  path?: string
  value?: unknown
  schema?: Schema
  summary?: string
  message?: string
}

export function describeValidation(error: unknown): string {
  const detail = error as { all?: SchemaError[]; valueError?: SchemaError }
  const first = detail.all?.[0] ?? detail.valueError
  if (!first) return 'the body does not match the schema'
  const field = first.path ? first.path.replace(/^\//, '').replaceAll('/', '.') : ''
  const wanted = first.schema ? describeSchema(first.schema) : undefined
  if (field !== '' && wanted !== undefined) {
    return first.value === undefined ? `${field} is required (${wanted})` : `${field} must be ${wanted}, got ${quoteInput(first.value)}`
  }
  return `${field || 'body'}: ${first.summary || first.message || 'invalid value'}`
}

/** What a scalar schema accepts, in words; undefined for shapes better left to the validator's words. */
function describeSchema(schema: Schema): string | undefined {
  if (Array.isArray(schema.anyOf)) {
    const parts = (schema.anyOf as Schema[]).map(describeSchema)
    return parts.every((part) => part !== undefined) ? parts.join(' or ') : undefined
  }
  switch (schema.type) {
    case 'integer':
      return `an integer${range(schema)}`
    case 'number':
      return `a number${range(schema)}`
    case 'string':
      return typeof schema.minLength === 'number' && schema.minLength > 0 ? 'a non-empty string' : 'a string'
    case 'boolean':
      return 'true or false'
    case 'null':
      return 'null'
    default:
      return undefined
  }
}

function range(schema: Schema): string {
  const { minimum, maximum } = schema
  if (typeof minimum === 'number' && typeof maximum === 'number') return ` from ${minimum} to ${maximum}`
  if (typeof minimum === 'number') return ` of at least ${minimum}`
  if (typeof maximum === 'number') return ` of at most ${maximum}`
  return ''
}
