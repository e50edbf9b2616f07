// streamGenerateContent without `alt=sse` answers one JSON array, streamed: `[{…},\n{…}]`
// (Google's REST convention). This turns the SSE frames of encodeStream into that form.

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
