// Builds AWS event-stream messages byte for byte (docs/protocols.md#kiro-event-stream), for the fake Kiro and
// the decoder tests. Every header value type can be written, so the decoder's skipping of
// types Kiro never sends is tested too.
import { crc32 } from '../../../src/providers/kiro/event-stream.ts'

export type EncodableHeader =
  | { name: string; type: 'bool'; value: boolean }
  | { name: string; type: 'byte' | 'int16' | 'int32'; value: number }
  | { name: string; type: 'int64' | 'timestamp'; value: bigint }
  | { name: string; type: 'bytes'; value: Uint8Array }
  | { name: string; type: 'string'; value: string }
  /** 32 hex digits, dashes allowed. */
  | { name: string; type: 'uuid'; value: string }

const encoder = new TextEncoder()

function encodeHeader(header: EncodableHeader): Uint8Array {
  const name = encoder.encode(header.name)
  const parts: number[] = [name.length, ...name]
  const push16 = (n: number) => parts.push((n >>> 8) & 0xff, n & 0xff)
  const pushBig = (n: bigint) => {
    const bytes = new Uint8Array(8)
    new DataView(bytes.buffer).setBigInt64(0, n)
    parts.push(...bytes)
  }
  switch (header.type) {
    case 'bool':
      parts.push(header.value ? 0 : 1)
      break
    case 'byte':
      parts.push(2, header.value & 0xff)
      break
    case 'int16':
      parts.push(3)
      push16(header.value)
      break
    case 'int32': {
      parts.push(4)
      const bytes = new Uint8Array(4)
      new DataView(bytes.buffer).setInt32(0, header.value)
      parts.push(...bytes)
      break
    }
    case 'int64':
      parts.push(5)
      pushBig(header.value)
      break
    case 'timestamp':
      parts.push(8)
      pushBig(header.value)
      break
    case 'bytes':
      parts.push(6)
      push16(header.value.length)
      parts.push(...header.value)
      break
    case 'string': {
      const value = encoder.encode(header.value)
      parts.push(7)
      push16(value.length)
      parts.push(...value)
      break
    }
    case 'uuid': {
      const hex = header.value.replaceAll('-', '')
      parts.push(9)
      for (let i = 0; i < 32; i += 2) parts.push(Number.parseInt(hex.slice(i, i + 2), 16))
      break
    }
  }
  return new Uint8Array(parts)
}

/** One complete message: prelude, prelude CRC, headers, payload, message CRC. */
export function encodeEventMessage(headers: EncodableHeader[], payload: Uint8Array | string): Uint8Array {
  const body = typeof payload === 'string' ? encoder.encode(payload) : payload
  const encodedHeaders = headers.map(encodeHeader)
  const headersLength = encodedHeaders.reduce((sum, header) => sum + header.length, 0)
  const total = 16 + headersLength + body.length
  const message = new Uint8Array(total)
  const view = new DataView(message.buffer)
  view.setUint32(0, total)
  view.setUint32(4, headersLength)
  view.setUint32(8, crc32(message.subarray(0, 8)))
  let at = 12
  for (const header of encodedHeaders) {
    message.set(header, at)
    at += header.length
  }
  message.set(body, at)
  view.setUint32(total - 4, crc32(message.subarray(0, total - 4)))
  return message
}

const str = (name: string, value: string): EncodableHeader => ({ name, type: 'string', value })

/** A Kiro event frame, headers in the order the real service (and test vector 2) uses. */
export function eventFrame(eventType: string, payload: unknown): Uint8Array {
  return encodeEventMessage([str(':event-type', eventType), str(':content-type', 'application/json'), str(':message-type', 'event')], JSON.stringify(payload))
}

/** A modelled exception inside a 200 stream (`:message-type` exception). */
export function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  return encodeEventMessage(
    [str(':exception-type', exceptionType), str(':content-type', 'application/json'), str(':message-type', 'exception')],
    JSON.stringify({ message }),
  )
}

/** A generic error frame (`:message-type` error, details in headers, empty payload). */
export function errorFrame(code: string, message: string): Uint8Array {
  return encodeEventMessage([str(':error-code', code), str(':error-message', message), str(':message-type', 'error')], new Uint8Array())
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}
