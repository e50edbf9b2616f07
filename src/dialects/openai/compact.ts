// Wire bodies carry only the fields that were given: an absent value must stay absent,
// never become `undefined` in a comparison or a default on the wire.

/** A copy of `object` without its `undefined` properties. */
export function compact<T extends object>(object: T): T {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(object)) {
    if (value !== undefined) out[key] = value
  }
  return out as T
}
