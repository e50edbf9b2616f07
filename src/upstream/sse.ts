// Server-sent events: bytes ⇄ {event, data}. The decoder follows the WHATWG rules the
// upstreams rely on: LF or CRLF lines, joined multi-line data, comments ignored, a pending
// event flushed at EOF, multi-byte characters split across chunks kept intact
// (docs/protocols.md#sse-framing).
import { badGateway } from '../errors/gateway-error.ts'

export interface SseEvent {
  event?: string
  data: string
}

const DATA_PREFIX = 'data: '

/**
 * Decodes an SSE byte stream into events. Text is cut into blocks at blank lines; the
 * common block, a single `data: …` line, is taken as is, anything else is read line by line.
 */
export async function* decodeSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true })
    if (buffer.includes('\r')) buffer = normaliseLineEnds(buffer)
    let start = 0
    for (;;) {
      const end = buffer.indexOf('\n\n', start)
      if (end === -1) break
      const event = readBlock(buffer.slice(start, end))
      start = end + 2
      if (event) yield event
    }
    if (start > 0) buffer = buffer.slice(start)
  }
  buffer += decoder.decode()
  const rest = readBlock(buffer.replace(/\r\n?/g, '\n').replace(/\n+$/, ''))
  if (rest) yield rest
}

/** CRLF and lone CR become LF; a CR at the very end waits, its LF may be in the next chunk. */
function normaliseLineEnds(text: string): string {
  const pending = text.endsWith('\r') ? '\r' : ''
  const body = pending ? text.slice(0, -1) : text
  return body.replace(/\r\n?/g, '\n') + pending
}

/** One event block (lines without the blank line that ended it). */
function readBlock(block: string): SseEvent | undefined {
  if (block.startsWith(DATA_PREFIX) && !block.includes('\n')) return { data: block.slice(DATA_PREFIX.length) }
  let event: string | undefined
  const data: string[] = []
  for (const line of block.split('\n')) {
    if (line === '' || line.charCodeAt(0) === 58 /* ':' comment */) continue
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.charCodeAt(0) === 32) value = value.slice(1)
    if (field === 'data') data.push(value)
    else if (field === 'event') event = value
  }
  if (data.length === 0) return undefined
  return event === undefined ? { data: data.join('\n') } : { event, data: data.join('\n') }
}

/** One SSE frame. `data` must not contain newlines (JSON.stringify output never does). */
export function sseFrame(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`
}

/** How a server-sent event stream may begin (after blank lines or a BOM): a field name, or a comment. */
const SSE_START = /^(?:data|event|id|retry)(?:[:\r\n]|$)|^:/
/** Enough leading bytes to tell `retry:` from anything else. */
const JUDGE_BYTES = 7

/**
 * The chunks of an SSE body, after checking how it begins: an upstream that says
 * `text/event-stream` but sends something else (an HTML error page, a bare JSON error) is a
 * failed attempt, thrown before any byte reaches the client, so another member can serve.
 * The chunks read to decide are handed on first; nothing else is read ahead.
 */
export async function checkedSse(chunks: AsyncIterable<Uint8Array>): Promise<AsyncIterable<Uint8Array>> {
  const iterator = chunks[Symbol.asyncIterator]()
  const held: Uint8Array[] = []
  let start = ''
  for (;;) {
    const next = await iterator.next()
    if (next.done) break
    held.push(next.value)
    start = (start + new TextDecoder().decode(next.value.subarray(0, 64))).replace(/^[\uFEFF\r\n]+/, '')
    if (start.length >= JUDGE_BYTES || /[\r\n]/.test(start)) break
  }
  if (start !== '' && !SSE_START.test(start)) {
    await iterator.return?.()
    throw badGateway('upstream said text/event-stream but did not send server-sent events')
  }
  const resumed: AsyncIterator<Uint8Array> = {
    next() {
      const chunk = held.shift()
      return chunk === undefined ? iterator.next() : Promise.resolve({ done: false, value: chunk })
    },
    return(value?: unknown) {
      held.length = 0
      return iterator.return ? iterator.return(value) : Promise.resolve({ done: true, value: undefined })
    },
  }
  return { [Symbol.asyncIterator]: () => resumed }
}
