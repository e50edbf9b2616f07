// Google's REST API accepts each field by its camelCase name or its snake_case spelling
// (`inline_data`, `function_declarations`, `system_instruction`…); client bodies use both.
import { badRequest } from '../../errors/gateway-error.ts'
import { jsonReader, type JsonObject } from '../../json/read.ts'

/** A field by its camelCase name, or else by its snake_case spelling. */
export function field(record: JsonObject, key: string): unknown {
  const value = record[key]
  return value !== undefined ? value : record[key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`)]
}

/** Reads of a client body: failures are 400s, optional fields are found by either spelling. */
export const read = jsonReader(badRequest, field)
