// Server-sent events: bytes ⇄ {event, data}. The decoder follows the WHATWG rules the
// upstreams rely on: LF or CRLF lines, joined multi-line data, comments ignored, a pending
// event flushed at EOF, multi-byte characters split across chunks kept intact.

export interface SseEvent {
  event?: string
  data: string
}

/** Decodes an SSE byte stream into events. */
export async function* decodeSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder()
  let buffer = ''
  let event: string | undefined
  let data: string[] = []
  let lineStart = 0

  const takeLine = (line: string): SseEvent | undefined => {
    if (line === '') {
      if (data.length === 0) {
        event = undefined
        return undefined
      }
      const out: SseEvent = event === undefined ? { data: data.join('\n') } : { event, data: data.join('\n') }
      event = undefined
      data = []
      return out
    }
    if (line.charCodeAt(0) === 58 /* ':' comment */) return undefined
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.charCodeAt(0) === 32) value = value.slice(1)
    if (field === 'data') data.push(value)
    else if (field === 'event') event = value
    return undefined
  }

  for await (const chunk of body) {
    buffer = buffer.length === lineStart ? decoder.decode(chunk, { stream: true }) : buffer.slice(lineStart) + decoder.decode(chunk, { stream: true })
    lineStart = 0
    for (;;) {
      const newline = buffer.indexOf('\n', lineStart)
      if (newline === -1) break
      const end = newline > lineStart && buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline
      const out = takeLine(buffer.slice(lineStart, end))
      lineStart = newline + 1
      if (out) yield out
    }
  }
  buffer = buffer.slice(lineStart) + decoder.decode()
  if (buffer.length > 0) {
    const out = takeLine(buffer.endsWith('\r') ? buffer.slice(0, -1) : buffer)
    if (out) yield out
  }
  const last = takeLine('')
  if (last) yield last
}

/** One SSE frame. `data` must not contain newlines (JSON.stringify output never does). */
export function sseFrame(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`
}
