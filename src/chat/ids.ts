// Identifiers for answers and tool calls the gateway has to invent.

/** A random id with a dialect-style prefix, e.g. `randomId('chatcmpl-')`. */
export function randomId(prefix: string, length = 24): string {
  return prefix + crypto.randomUUID().replaceAll('-', '').slice(0, length)
}
