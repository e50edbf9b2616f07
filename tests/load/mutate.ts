// Seeded mutations of golden fixtures for the decoder fuzz tests: structural edits of JSON
// values (wrong types, missing fields, deep nesting) and byte edits of SSE streams.

type Random = () => number

const pick = <T>(items: readonly T[], random: Random): T => items[Math.floor(random() * items.length)] as T

/** Values of every JSON type, including awkward ones. */
function oddValue(random: Random): unknown {
  const deep = (depth: number): unknown => (depth === 0 ? 'bottom' : [deep(depth - 1)])
  return pick<() => unknown>(
    [
      () => null,
      () => 0,
      () => -1,
      () => 1e308,
      () => 3.5,
      () => true,
      () => '',
      () => 'text ✓ 😀',
      () => '\u0000\ud800',
      () => [],
      () => {},
      () => [null],
      () => ({ type: 'text' }),
      () => ({ type: 'unknown-kind', text: 1 }),
      () => deep(200),
      () => Array.from({ length: 50 }, () => 1),
      () => ({ __proto__: { polluted: true } }),
    ],
    random,
  )()
}

/** Every container inside a JSON value with the path to it. */
function containers(value: unknown, out: (Record<string, unknown> | unknown[])[] = []): (Record<string, unknown> | unknown[])[] {
  if (Array.isArray(value)) {
    out.push(value)
    for (const item of value) containers(item, out)
  } else if (typeof value === 'object' && value !== null) {
    out.push(value as Record<string, unknown>)
    for (const item of Object.values(value)) containers(item, out)
  }
  return out
}

/** A deep copy of `value` with 1..3 structural edits. */
export function mutateJson(value: unknown, random: Random): unknown {
  const copy = structuredClone(value)
  const edits = 1 + Math.floor(random() * 3)
  for (let i = 0; i < edits; i++) {
    const targets = containers(copy)
    if (targets.length === 0) return oddValue(random)
    const target = pick(targets, random)
    const keys: (string | number)[] = Array.isArray(target) ? target.map((_, index) => index) : Object.keys(target)
    const action = random()
    if (keys.length === 0 || action < 0.15) {
      if (Array.isArray(target)) target.push(oddValue(random))
      else target[pick(['type', 'role', 'content', 'text', 'parts', 'choices', 'delta', 'index', 'name', 'x'], random)] = oddValue(random)
      continue
    }
    const key = pick(keys, random)
    if (action < 0.45) {
      if (Array.isArray(target)) target.splice(key as number, 1)
      else delete target[key as string]
    } else if (Array.isArray(target)) {
      target[key as number] = oddValue(random)
    } else {
      target[key as string] = oddValue(random)
    }
  }
  return copy
}

const encoder = new TextEncoder()

/** `bytes` with 1..4 edits: flipped bytes, deleted or duplicated ranges, inserted junk, truncation. */
export function mutateBytes(bytes: Uint8Array, random: Random): Uint8Array {
  let out = Array.from(bytes)
  const edits = 1 + Math.floor(random() * 4)
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (out.length + 1))
    const span = 1 + Math.floor(random() * 40)
    const action = random()
    if (action < 0.25) out[at] = Math.floor(random() * 256)
    else if (action < 0.45) out.splice(at, span)
    else if (action < 0.6) out.splice(at, 0, ...out.slice(at, at + span))
    else if (action < 0.8)
      out.splice(at, 0, ...encoder.encode(pick(['\n\n', 'data: ', 'data: {}\n\n', 'data: [DONE]\n\n', 'event: error\n', '{"', 'null', '\r', '\xff'], random)))
    else out = out.slice(0, at)
  }
  return new Uint8Array(out)
}
