// Client input quoted back in error messages: cut to about 100 characters (a 10 KB header
// must not come back whole), and header values decoded the way clients wrote them.

export const ECHO_MAX_CHARS = 100

/** The first ECHO_MAX_CHARS characters, never splitting a surrogate pair. */
function head(text: string): string {
  const code = text.charCodeAt(ECHO_MAX_CHARS - 1)
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? ECHO_MAX_CHARS - 1 : ECHO_MAX_CHARS)
}

/** The text, cut to ECHO_MAX_CHARS with a note of how long it really was. */
export function clipInput(text: string): string {
  return text.length <= ECHO_MAX_CHARS ? text : `${head(text)}… (${text.length} characters)`
}

/** A value as a JSON literal, for "got …" messages; a long string is cut inside its quotes. */
export function quoteInput(value: unknown): string {
  if (typeof value !== 'string') return clipInput(String(JSON.stringify(value)))
  return value.length <= ECHO_MAX_CHARS ? JSON.stringify(value) : `${JSON.stringify(head(value))}… (${value.length} characters)`
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
/** Anything but tab and printable ASCII: in a header value, that is the bytes above 0x7f. */
const NOT_ASCII = /[^\t -~]/g

/**
 * A header value as the client meant it. The HTTP layer hands header bytes over one byte
 * per character; UTF-8 is decoded, and bytes that are not UTF-8 are shown as \xNN.
 */
export function headerText(value: string): string {
  if (value.search(NOT_ASCII) === -1) return value
  const bytes = Uint8Array.from(value, (char) => char.charCodeAt(0) & 0xff)
  try {
    return utf8.decode(bytes)
  } catch {
    return value.replace(NOT_ASCII, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)
  }
}
