// JSON Schema → the OpenAPI 3.0 subset Gemini accepts for tool parameters and response
// schemas. Gemini rejects unknown keywords, so anything outside its subset is dropped or
// rewritten; the input is never mutated.
//
// Rewrites (losses are listed in the README's conversion table):
// - local `$ref`s (`#`, `#/$defs/…`, `#/definitions/…`) are inlined; a recursive reference is
//   cut where it repeats (only its sibling keywords such as `description` stay);
// - `allOf` members are merged into their parent, `oneOf` becomes `anyOf`;
// - `type: [x, "null"]`, `null` members of `anyOf` and `null` enum values become `nullable`;
// - `const` becomes a one-value `enum`; enum values become strings (Gemini enums are strings);
// - `required` keeps only names that exist in `properties`;
// - a missing `type` is inferred from `properties`/`items`/`enum`; an array without
//   `items` gets string items (Gemini requires `items`);
// - `format` stays only where Gemini supports it (date-time/enum, int32/int64/float/double).
import type { JsonSchema } from '../../chat/types.ts'
import { isRecord, type JsonObject } from '../../json/read.ts'

const KEPT_KEYWORDS = [
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'items',
  'minItems',
  'maxItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'anyOf',
  'propertyOrdering',
] as const

/** Keywords copied as they are (the structural ones are rebuilt by the cleaner). */
const SCALAR_KEYWORDS = [
  'format',
  'title',
  'description',
  'required',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'propertyOrdering',
] as const

const FORMATS_BY_TYPE: Record<string, readonly string[]> = {
  string: ['date-time', 'enum'],
  number: ['float', 'double'],
  integer: ['int32', 'int64'],
}

interface CleanContext {
  root: JsonObject
  /** `$ref`s being expanded on the current path, to cut recursion. */
  expanding: readonly string[]
}

export function cleanSchema(schema: JsonSchema): JsonSchema {
  return cleanNode(schema, { root: schema, expanding: [] })
}

function cleanNode(node: unknown, outer: CleanContext): JsonObject {
  if (!isRecord(node)) return {}
  const { flat, context } = flatten(node, outer)
  const out: JsonObject = {}

  applyType(flat.type, out)
  if (flat.const !== undefined) out.enum = [flat.const]
  else if (Array.isArray(flat.enum)) out.enum = flat.enum
  if (Array.isArray(out.enum)) normaliseEnum(out, out.enum)

  if (isRecord(flat.properties)) {
    const properties: JsonObject = {}
    for (const [name, value] of Object.entries(flat.properties)) properties[name] = cleanNode(value, context)
    out.properties = properties
  }
  const items = Array.isArray(flat.items) ? flat.items[0] : flat.items
  if (isRecord(items)) out.items = cleanNode(items, context)
  if (Array.isArray(flat.anyOf)) applyAnyOf(flat.anyOf, out, context)
  if (flat.nullable === true) out.nullable = true
  copyScalars(flat, out)

  const collapsed = collapseSingleAnyOf(out)
  inferType(collapsed)
  filterRequired(collapsed)
  filterFormat(collapsed)
  if (collapsed.type === 'array' && collapsed.items === undefined) collapsed.items = { type: 'string' }
  return ordered(collapsed)
}

/** Inlines `$ref` and merges `allOf`/`oneOf`, so the rest of the cleaner sees one plain node. */
function flatten(node: JsonObject, context: CleanContext): { flat: JsonObject; context: CleanContext } {
  let flat: JsonObject = node
  let current = context
  if (typeof node.$ref === 'string') {
    const { $ref: ref, ...siblings } = node
    const target = current.expanding.includes(ref) ? undefined : resolveRef(ref, current.root)
    if (target === undefined) {
      flat = siblings
    } else {
      const inner = flatten(target, { ...current, expanding: [...current.expanding, ref] })
      flat = { ...inner.flat, ...siblings }
      current = inner.context
    }
  }
  if (Array.isArray(flat.allOf)) {
    const { allOf, ...rest } = flat
    flat = rest
    for (const member of allOf) {
      if (!isRecord(member)) continue
      const inner = flatten(member, current)
      flat = mergeMember(flat, inner.flat)
      current = { ...current, expanding: [...new Set([...current.expanding, ...inner.context.expanding])] }
    }
  }
  if (Array.isArray(flat.oneOf)) {
    const { oneOf, ...rest } = flat
    flat = { ...rest, anyOf: [...(Array.isArray(rest.anyOf) ? rest.anyOf : []), ...oneOf] }
  }
  return { flat, context: current }
}

function resolveRef(ref: string, root: JsonObject): JsonObject | undefined {
  if (ref === '#') return root
  if (!ref.startsWith('#/')) return undefined
  let current: unknown = root
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~')
    if (!isRecord(current)) return undefined
    current = current[key]
  }
  return isRecord(current) ? current : undefined
}

/** `allOf` member merged under its parent: the parent's own keywords win, properties and required add up. */
function mergeMember(parent: JsonObject, member: JsonObject): JsonObject {
  const out: JsonObject = { ...member, ...parent }
  if (isRecord(parent.properties) || isRecord(member.properties)) {
    out.properties = { ...(isRecord(member.properties) ? member.properties : {}), ...(isRecord(parent.properties) ? parent.properties : {}) }
  }
  const required = [...(Array.isArray(parent.required) ? parent.required : []), ...(Array.isArray(member.required) ? member.required : [])]
  if (required.length > 0) out.required = [...new Set(required)]
  return out
}

function applyType(type: unknown, out: JsonObject): void {
  if (typeof type === 'string') {
    if (type === 'null') out.nullable = true
    else out.type = type
    return
  }
  if (!Array.isArray(type)) return
  const types = type.filter((value): value is string => typeof value === 'string')
  if (types.includes('null')) out.nullable = true
  const real = types.filter((value) => value !== 'null')
  if (real.length === 1) out.type = real[0]
  else if (real.length > 1) out.anyOf = real.map((value) => ({ type: value }))
}

function normaliseEnum(out: JsonObject, values: unknown[]): void {
  if (values.includes(null)) out.nullable = true
  out.enum = values.filter((value) => value !== null).map((value) => (typeof value === 'string' ? value : JSON.stringify(value)))
  out.type = 'string'
}

function applyAnyOf(members: unknown[], out: JsonObject, context: CleanContext): void {
  const kept = Array.isArray(out.anyOf) ? [...out.anyOf] : []
  for (const member of members) {
    const clean = cleanNode(member, context)
    const onlyNull = clean.nullable === true && Object.keys(clean).length === 1
    if (onlyNull) out.nullable = true
    else kept.push(clean)
  }
  if (kept.length > 0) out.anyOf = kept
  else delete out.anyOf
}

/** `anyOf: [X]` (what is left of `anyOf: [X, {type:null}]`) is just X; the parent's own keywords win. */
function collapseSingleAnyOf(out: JsonObject): JsonObject {
  if (!Array.isArray(out.anyOf) || out.anyOf.length !== 1 || out.type !== undefined) return out
  const { anyOf, ...rest } = out
  const member = anyOf[0]
  return isRecord(member) ? { ...member, ...rest } : rest
}

function copyScalars(flat: JsonObject, out: JsonObject): void {
  for (const key of SCALAR_KEYWORDS) {
    const value = flat[key]
    if (value === undefined) continue
    if (key === 'required' || key === 'propertyOrdering') {
      if (Array.isArray(value)) out[key] = value.filter((name) => typeof name === 'string')
    } else {
      out[key] = value
    }
  }
}

function inferType(out: JsonObject): void {
  if (out.type !== undefined || out.anyOf !== undefined) return
  if (out.properties !== undefined) out.type = 'object'
  else if (out.items !== undefined) out.type = 'array'
}

function filterRequired(out: JsonObject): void {
  if (!Array.isArray(out.required)) return
  const properties = isRecord(out.properties) ? out.properties : {}
  const required = out.required.filter((name): name is string => typeof name === 'string' && Object.hasOwn(properties, name))
  if (required.length > 0) out.required = required
  else delete out.required
}

function filterFormat(out: JsonObject): void {
  if (out.format === undefined) return
  const allowed = typeof out.type === 'string' ? FORMATS_BY_TYPE[out.type] : undefined
  if (allowed === undefined || typeof out.format !== 'string' || !allowed.includes(out.format)) delete out.format
}

function ordered(out: JsonObject): JsonObject {
  const result: JsonObject = {}
  for (const key of KEPT_KEYWORDS) if (out[key] !== undefined) result[key] = out[key]
  return result
}
