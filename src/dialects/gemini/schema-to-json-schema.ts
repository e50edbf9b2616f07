// Gemini `Schema` (OpenAPI 3.0 subset, upper-case types such as "OBJECT", `nullable`) →
// JSON Schema, so tool parameters and response schemas from Gemini clients are valid for
// the OpenAI and Anthropic providers too. Other keywords pass through; the input is not mutated.
import type { JsonSchema } from '../../chat/types.ts'
import { isRecord } from '../../json/read.ts'

export function geminiSchemaToJsonSchema(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {}
  const rawType = schema.type
  const type = typeof rawType === 'string' ? (rawType === 'TYPE_UNSPECIFIED' ? undefined : rawType.toLowerCase()) : rawType
  if (type !== undefined) out.type = schema.nullable === true && typeof type === 'string' && type !== 'null' ? [type, 'null'] : type
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'type') continue
    if (key === 'properties' && isRecord(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, convert(sub)]))
    } else if ((key === 'items' || key === 'additionalProperties') && isRecord(value)) {
      out[key] = geminiSchemaToJsonSchema(value)
    } else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) {
      out[key] = value.map(convert)
    } else {
      out[key] = value
    }
  }
  if (type === undefined && schema.nullable === true && Array.isArray(out.anyOf)) out.anyOf = [...out.anyOf, { type: 'null' }]
  return out
}

function convert(value: unknown): unknown {
  return isRecord(value) ? geminiSchemaToJsonSchema(value) : value
}
