// For targets without a response-format field (Anthropic, Kiro): a system instruction that
// asks for JSON instead. Best effort: the model is asked, not constrained.
import type { ResponseFormat } from './types.ts'

export function jsonInstruction(format: ResponseFormat | undefined): string | undefined {
  switch (format?.type) {
    case 'json_object':
      return 'Respond with a single valid JSON object only: no prose, no Markdown code fences.'
    case 'json_schema':
      return `Respond with a single JSON value that conforms to this JSON Schema, and nothing else (no prose, no Markdown code fences): ${JSON.stringify(format.schema)}`
    default:
      return undefined
  }
}
