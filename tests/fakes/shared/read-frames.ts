// Test helpers: read a fake's SSE body as the exact frames it wrote, so tests can check the
// wire format byte for byte (every frame ends with a blank line, nothing else in between).

export interface RawFrame {
  event?: string
  data: string
}

/** Splits an SSE text into frames; throws when the text is not exactly `…\n\n`-terminated frames. */
export function sseFrames(text: string): RawFrame[] {
  if (text !== '' && !text.endsWith('\n\n')) throw new Error(`stream does not end with a blank line: ${JSON.stringify(text.slice(-40))}`)
  return text
    .split('\n\n')
    .slice(0, -1)
    .map((block) => {
      const lines = block.split('\n')
      const [first, second] = lines
      if (lines.length === 1 && first?.startsWith('data: ')) return { data: first.slice(6) }
      if (lines.length === 2 && first?.startsWith('event: ') && second?.startsWith('data: ')) {
        return { event: first.slice(7), data: second.slice(6) }
      }
      throw new Error(`not a single-line SSE frame: ${JSON.stringify(block)}`)
    })
}

/** JSON payloads of the frames, `[DONE]` left out. */
export function framePayloads(frames: RawFrame[]): Record<string, unknown>[] {
  return frames.filter((frame) => frame.data !== '[DONE]').map((frame) => JSON.parse(frame.data) as Record<string, unknown>)
}

/** Reads a body piece by piece; `onPiece` sees each text piece as it arrives. */
export async function readPieces(body: ReadableStream<Uint8Array>, onPiece: (text: string) => void = () => {}): Promise<Uint8Array[]> {
  const decoder = new TextDecoder()
  const pieces: Uint8Array[] = []
  for await (const piece of body) {
    pieces.push(piece)
    onPiece(decoder.decode(piece, { stream: true }))
  }
  return pieces
}
