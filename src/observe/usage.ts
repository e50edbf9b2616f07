// Token counts and finish reason of answers passed through byte for byte, read without
// parsing them: the dialect names its fields (its codec's `usageKeys`), and the last value of
// each in the answer's head and tail is taken (they come at the start and/or the end in every dialect).
import type { UsageKeys } from '../dialects/types.ts'

/** Bytes of an answer's head and tail that are searched. */
const EDGE_BYTES = 4096

export interface Tokens {
  input?: number
  output?: number
  /** The dialect's own finish reason (`stop`, `end_turn`, `STOP`…). */
  finish?: string
}

function lastNumber(text: string, key: string): number | undefined {
  const marker = `"${key}":`
  let at = text.lastIndexOf(marker)
  while (at !== -1) {
    const match = /^\s*(\d+)/.exec(text.slice(at + marker.length, at + marker.length + 24))
    if (match) return Number(match[1])
    at = text.lastIndexOf(marker, at - 1)
  }
  return undefined
}

function sumOf(text: string, keys: readonly string[]): number | undefined {
  let total: number | undefined
  for (const key of keys) {
    const value = lastNumber(text, key)
    if (value !== undefined) total = (total ?? 0) + value
  }
  return total
}

function lastString(text: string, key: string): string | undefined {
  const marker = `"${key}":`
  let at = text.lastIndexOf(marker)
  while (at !== -1) {
    const match = /^\s*"([\w-]{1,40})"/.exec(text.slice(at + marker.length, at + marker.length + 48))
    if (match) return match[1]
    at = text.lastIndexOf(marker, at - 1)
  }
  return undefined
}

export function scanUsage(text: string, keys: UsageKeys): Tokens {
  const input = sumOf(text, keys.input)
  const output = sumOf(text, keys.output)
  const finish = lastString(text, keys.finish)
  return { ...(input === undefined ? {} : { input }), ...(output === undefined ? {} : { output }), ...(finish === undefined ? {} : { finish }) }
}

const decoder = new TextDecoder()

/** Usage in a whole non-stream body (its tail). */
export function usageOfBody(bytes: Uint8Array, keys: UsageKeys): Tokens {
  return scanUsage(decoder.decode(bytes.subarray(Math.max(0, bytes.length - EDGE_BYTES))), keys)
}

/**
 * A pass-through chunk sequence that remembers its first chunk and last two, so the usage of
 * the stream can be read when it ends (`usage()`), at the cost of two references per chunk.
 */
export function tapChunks(chunks: AsyncIterable<Uint8Array>, keys: UsageKeys): { chunks: AsyncIterable<Uint8Array>; usage(): Tokens } {
  let first: Uint8Array | undefined
  let previous: Uint8Array | undefined
  let last: Uint8Array | undefined
  const iterator = chunks[Symbol.asyncIterator]()
  const tapped: AsyncIterator<Uint8Array> = {
    async next() {
      const result = await iterator.next()
      if (!result.done) {
        if (first === undefined) first = result.value
        else {
          previous = last
          last = result.value
        }
      }
      return result
    },
    return: (value?: unknown) => (iterator.return ? iterator.return(value) : Promise.resolve({ done: true, value: undefined })),
  }
  return {
    chunks: { [Symbol.asyncIterator]: () => tapped },
    usage() {
      const head = first ? decoder.decode(first.subarray(0, EDGE_BYTES)) : ''
      const tailBytes = [previous, last].filter((chunk): chunk is Uint8Array => chunk !== undefined)
      const tail = tailBytes.map((chunk) => decoder.decode(chunk.subarray(Math.max(0, chunk.length - EDGE_BYTES)))).join('')
      return scanUsage(`${head}\n${tail}`, keys)
    },
  }
}
