// The headers section of an AWS event-stream message: a sequence of
// (name length, name, value type, value). Kiro only sends strings, but every type is
// parsed so an unexpected header never desynchronises the rest.

export type EventHeaderValue = boolean | number | bigint | string | Uint8Array | Date

/** A Map, not an object: header names come off the wire (`__proto__` must stay a plain key). */
export type EventHeaders = Map<string, EventHeaderValue>

export const HEADER_TYPE = {
  boolTrue: 0,
  boolFalse: 1,
  byte: 2,
  int16: 3,
  int32: 4,
  int64: 5,
  bytes: 6,
  string: 7,
  timestamp: 8,
  uuid: 9,
} as const

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Parses a headers section; undefined when it is malformed (short, bad type, bad UTF-8). */
export function parseEventHeaders(section: Uint8Array): EventHeaders | undefined {
  const view = new DataView(section.buffer, section.byteOffset, section.byteLength)
  const headers: EventHeaders = new Map()
  let at = 0
  const has = (count: number) => at + count <= section.length
  try {
    while (at < section.length) {
      const nameLength = view.getUint8(at)
      at += 1
      if (nameLength === 0 || !has(nameLength + 1)) return undefined
      const name = utf8.decode(section.subarray(at, at + nameLength))
      at += nameLength
      const type = view.getUint8(at)
      at += 1
      let value: EventHeaderValue
      switch (type) {
        case HEADER_TYPE.boolTrue:
          value = true
          break
        case HEADER_TYPE.boolFalse:
          value = false
          break
        case HEADER_TYPE.byte:
          if (!has(1)) return undefined
          value = view.getInt8(at)
          at += 1
          break
        case HEADER_TYPE.int16:
          if (!has(2)) return undefined
          value = view.getInt16(at)
          at += 2
          break
        case HEADER_TYPE.int32:
          if (!has(4)) return undefined
          value = view.getInt32(at)
          at += 4
          break
        case HEADER_TYPE.int64:
          if (!has(8)) return undefined
          value = view.getBigInt64(at)
          at += 8
          break
        case HEADER_TYPE.timestamp:
          if (!has(8)) return undefined
          value = new Date(Number(view.getBigInt64(at)))
          at += 8
          break
        case HEADER_TYPE.bytes:
        case HEADER_TYPE.string: {
          if (!has(2)) return undefined
          const length = view.getUint16(at)
          at += 2
          if (!has(length)) return undefined
          const bytes = section.slice(at, at + length)
          value = type === HEADER_TYPE.string ? utf8.decode(bytes) : bytes
          at += length
          break
        }
        case HEADER_TYPE.uuid:
          if (!has(16)) return undefined
          value = formatUuid(section.subarray(at, at + 16))
          at += 16
          break
        default:
          return undefined
      }
      headers.set(name, value)
    }
  } catch {
    // A fatal UTF-8 decode error: the header bytes are not what they claim to be.
    return undefined
  }
  return headers
}

function formatUuid(bytes: Uint8Array): string {
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** A header's value when it is a string, else undefined. */
export function stringHeader(headers: EventHeaders, name: string): string | undefined {
  const value = headers.get(name)
  return typeof value === 'string' ? value : undefined
}
