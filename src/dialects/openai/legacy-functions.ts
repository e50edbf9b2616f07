// OpenAI's legacy function calling (`functions`, `function_call`, `role: "function"`
// messages, `message.function_call` answers), which OpenAI still accepts: read as tools
// and tool calls, one call per answer, and answered in the legacy shape again.
import type { ToolChoice, ToolDef } from '../../chat/types.ts'
import { badRequest } from '../../errors/gateway-error.ts'
import { compact } from './compact.ts'
import { at, isRecord, type JsonObject, jsonReader } from '../../json/read.ts'

const read = jsonReader(badRequest)

/** A function definition (`tools[].function` or a legacy `functions[]` item) → canonical tool. */
export function decodeFunction(value: unknown, path: string): ToolDef {
  const fn = read.record(value, path)
  const parameters = fn.parameters ?? { type: 'object', properties: {} }
  if (!isRecord(parameters)) throw badRequest(`${path}.parameters must be a JSON Schema object`)
  return compact<ToolDef>({ name: read.string(fn.name, at(path, 'name')), description: read.optionalString(fn, 'description', path), parameters })
}

/** `functions` and `function_call` as tools and a tool choice; undefined when the client used neither. */
export function decodeLegacyFunctions(request: JsonObject): { tools?: ToolDef[]; toolChoice?: ToolChoice } | undefined {
  const functions = read.optionalArray(request, 'functions', '')
  const call = request.function_call ?? undefined
  if (functions === undefined && call === undefined) return undefined
  if (request.tools !== undefined && request.tools !== null) throw badRequest('functions and function_call cannot be combined with tools; use one or the other')
  return compact({ tools: functions?.map((item, i) => decodeFunction(item, `functions[${i}]`)), toolChoice: decodeFunctionCall(call) })
}

function decodeFunctionCall(value: unknown): ToolChoice | undefined {
  if (value === undefined) return undefined
  if (value === 'none' || value === 'auto') return { type: value }
  if (isRecord(value)) return { type: 'tool', name: read.string(value.name, at('function_call', 'name')) }
  throw badRequest('function_call must be "none", "auto" or {"name":…}')
}

/**
 * Ids for legacy calls, which have none: an assistant `function_call` gets a fresh id, and
 * the next `role: "function"` message with that name answers it.
 */
export class LegacyCallIds {
  #count = 0
  readonly #open: Array<{ id: string; name: string }> = []

  call(name: string): string {
    const id = `call_fn_${++this.#count}`
    this.#open.push({ id, name })
    return id
  }

  result(name: string): string {
    const index = this.#open.findIndex((call) => call.name === name)
    return index === -1 ? `call_fn_${++this.#count}` : (this.#open.splice(index, 1)[0]?.id as string)
  }
}
