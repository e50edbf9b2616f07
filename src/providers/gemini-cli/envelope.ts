// Code Assist wraps every Gemini response as {response:{…},traceId}. Clients get the plain
// Gemini shape: the JSON body unwrapped, and a stream unwrapped event by event as it arrives.
import { badGateway, GatewayError } from '../../errors/gateway-error.ts'
import { decodeSse, sseFrame, type SseEvent } from '../../upstream/sse.ts'
import { readCappedText } from '../../upstream/body.ts'
import { isRecord } from '../../json/read.ts'

/** The inner Gemini response; `traceId` becomes `responseId` when there is none (as the Gemini CLI does). */
export function unwrapEnvelope(value: unknown): unknown {
  if (!isRecord(value) || !isRecord(value.response)) return value
  const inner: Record<string, unknown> = { ...value.response }
  if (inner.responseId === undefined && typeof value.traceId === 'string') inner.responseId = value.traceId
  return inner
}

export async function unwrapJsonResponse(response: Response, maxBytes: number): Promise<Response> {
  const text = await readCappedText(response, maxBytes)
  const inner = unwrapEnvelope(parseJson(text, 'response'))
  return new Response(JSON.stringify(inner), { status: response.status, headers: { 'content-type': 'application/json; charset=utf-8' } })
}

/** The upstream SSE body re-emitted as `data: <inner json>` frames, one per upstream event, without read-ahead. */
export function unwrapSseResponse(response: Response): Response {
  const upstream = response.body
  const frames = upstream === null ? emptyFrames() : unwrapEvents(decodeSse(upstream))
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await frames.next()
        if (next.done) controller.close()
        else controller.enqueue(encoder.encode(next.value))
      },
      async cancel() {
        await frames.return(undefined)
      },
    },
    { highWaterMark: 0 },
  )
  return new Response(body, { status: response.status, headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' } })
}

async function* unwrapEvents(events: AsyncIterable<SseEvent>): AsyncGenerator<string> {
  try {
    for await (const event of events) yield sseFrame(JSON.stringify(unwrapEnvelope(parseJson(event.data, 'stream event'))))
  } catch (error) {
    if (error instanceof GatewayError) throw error
    const message = error instanceof Error ? error.message : String(error)
    throw badGateway(`Code Assist stream broke off: ${message}`, { cause: error })
  }
}

async function* emptyFrames(): AsyncGenerator<string> {}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw badGateway(`Code Assist sent a malformed ${what} (not JSON)`, { cause: error })
  }
}
