// Byte streams cut at arbitrary places, to prove decoders never depend on chunk boundaries.

/** A deterministic pseudo-random source (mulberry32), so failing splits can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let x = state
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

/** Splits bytes into pieces of 1..maxPiece bytes (so splits fall inside multi-byte characters too). */
export function splitBytes(bytes: Uint8Array, random: () => number, maxPiece = 7): Uint8Array[] {
  const pieces: Uint8Array[] = []
  let offset = 0
  while (offset < bytes.length) {
    const size = 1 + Math.floor(random() * maxPiece)
    pieces.push(bytes.subarray(offset, offset + size))
    offset += size
  }
  return pieces
}

/** Any items as an async stream (byte pieces as a fetch body would deliver them, or events). */
export async function* streamOf<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item
}

/** Text cut at random byte offsets, as an async byte stream. */
export function randomlySplit(text: string, seed: number, maxPiece = 7): AsyncGenerator<Uint8Array> {
  return streamOf(splitBytes(new TextEncoder().encode(text), seededRandom(seed), maxPiece))
}

/** Collects an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}
