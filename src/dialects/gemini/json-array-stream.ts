// streamGenerateContent without `alt=sse` answers one JSON array, streamed: `[{…},\n{…}]`
// (Google's REST convention). This turns the SSE frames of encodeStream into that form; a
// failure becomes a last `{"error":…}` element, so the array stays valid JSON.
import type { GatewayError } from '../../errors/gateway-error.ts'
import type { StreamLayout } from '../types.ts'
import { encodeGeminiError } from './error-encode.ts'

const FRAME = /^data: (.*)\n\n$/s

export async function* toJsonArrayStream(frames: AsyncIterable<string>): AsyncGenerator<string> {
  let opened = false
  for await (const frame of frames) {
    const data = FRAME.exec(frame)?.[1]
    if (data === undefined) continue
    yield opened ? `,\n${data}` : `[${data}`
    opened = true
  }
  yield opened ? ']' : '[]'
}

export const jsonArrayLayout: StreamLayout = {
  contentType: 'application/json',
  pieces: toJsonArrayStream,
  errorPiece(error: GatewayError, started: boolean): string {
    const body = JSON.stringify(encodeGeminiError(error))
    return started ? `,\n${body}]` : `[${body}]`
  },
}
