// The benchmark's fake upstream: canned OpenAI Chat Completions and Anthropic Messages
// answers, plain or streamed, as cheap as a Bun.serve can make them, so that what the
// bench measures is the hop in front of it. An optional first path segment gives pool
// members their own base URL and failure mode:
//   /v1/...             answer at once
//   /flaky<any>/v1/...  every FLAKY_EVERY-th request to that segment answers 500
//   /<any>/v1/...       answer at once, counted under <any>
// A streamed request for model SLOW_MODEL gets one event every SLOW_EVENT_MS, so streams
// stay open. GET /__stats returns the request and failure counts per segment.
// Run alone: `bun bench/upstream.ts [--port N]`; prints `listening on http://127.0.0.1:PORT`.

export const STREAM_TEXT_EVENTS = 18
export const SLOW_EVENT_MS = 100
export const FLAKY_EVERY = 5
export const SLOW_MODEL = 'bench-slow'

const CREATED = 1_763_000_000
const WORDS = Array.from({ length: STREAM_TEXT_EVENTS }, (_, i) => `word${i} `)

function openaiChunk(delta: Record<string, unknown>, finish: string | null, usage?: Record<string, number>): string {
  const chunk = {
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: CREATED,
    model: 'bench-model',
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...(usage ? { usage } : {}),
  }
  return `data: ${JSON.stringify(chunk)}\n\n`
}

/** 20 chunks: role, 18 text pieces, finish (with usage); then the [DONE] line. */
export const OPENAI_STREAM = [
  openaiChunk({ role: 'assistant', content: '' }, null),
  ...WORDS.map((word) => openaiChunk({ content: word }, null)),
  openaiChunk({}, 'stop', { prompt_tokens: 5, completion_tokens: STREAM_TEXT_EVENTS, total_tokens: 5 + STREAM_TEXT_EVENTS }),
  'data: [DONE]\n\n',
]

export const OPENAI_BODY = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: CREATED,
  model: 'bench-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the bench upstream.' }, finish_reason: 'stop', logprobs: null }],
  usage: { prompt_tokens: 5, completion_tokens: 6, total_tokens: 11 },
})

function anthropicEvent(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`
}

/** The same answer as OPENAI_STREAM in Anthropic's event sequence (18 text deltas). */
export const ANTHROPIC_STREAM = [
  anthropicEvent('message_start', {
    message: {
      id: 'msg_bench',
      type: 'message',
      role: 'assistant',
      model: 'bench-model',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 5, output_tokens: 1 },
    },
  }),
  anthropicEvent('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  ...WORDS.map((word) => anthropicEvent('content_block_delta', { index: 0, delta: { type: 'text_delta', text: word } })),
  anthropicEvent('content_block_stop', { index: 0 }),
  anthropicEvent('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: STREAM_TEXT_EVENTS } }),
  anthropicEvent('message_stop', {}),
]

export const ANTHROPIC_BODY = JSON.stringify({
  id: 'msg_bench',
  type: 'message',
  role: 'assistant',
  model: 'bench-model',
  content: [{ type: 'text', text: 'Hello from the bench upstream.' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 5, output_tokens: 6 },
})

const OPENAI_FAILURE = JSON.stringify({ error: { message: 'bench upstream: planned failure', type: 'server_error', param: null, code: null } })
const ANTHROPIC_FAILURE = JSON.stringify({ type: 'error', error: { type: 'api_error', message: 'bench upstream: planned failure' } })

const JSON_HEADERS = { 'content-type': 'application/json' }
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }

export interface SegmentStats {
  requests: number
  failures: number
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Each event is its own write, as a real upstream produces them: without the pause
 * between events Bun coalesces the whole answer into one packet and the gateway would
 * see a single chunk.
 */
function eventStream(frames: readonly Uint8Array[], delayMs: number): Response {
  const body = new ReadableStream({
    type: 'direct',
    async pull(controller) {
      for (let i = 0; i < frames.length; i++) {
        if (i > 0) await (delayMs > 0 ? Bun.sleep(delayMs) : nextTurn())
        controller.write(frames[i] as Uint8Array)
        controller.flush()
      }
      controller.close()
    },
  })
  return new Response(body, { headers: SSE_HEADERS })
}

export function startUpstream(port = 0) {
  const encoder = new TextEncoder()
  const openaiFrames = OPENAI_STREAM.map((frame) => encoder.encode(frame))
  const anthropicFrames = ANTHROPIC_STREAM.map((frame) => encoder.encode(frame))
  const stats = new Map<string, SegmentStats>()
  const slowModel = `"model":"${SLOW_MODEL}"`

  const answer = async (request: Request, segment: string, dialect: 'openai' | 'anthropic'): Promise<Response> => {
    const text = await request.text()
    let counts = stats.get(segment)
    if (counts === undefined) {
      counts = { requests: 0, failures: 0 }
      stats.set(segment, counts)
    }
    counts.requests++
    if (segment.startsWith('flaky') && counts.requests % FLAKY_EVERY === 0) {
      counts.failures++
      return new Response(dialect === 'openai' ? OPENAI_FAILURE : ANTHROPIC_FAILURE, { status: 500, headers: JSON_HEADERS })
    }
    // The bench sends compact JSON, and the gateway forwards or re-encodes it compactly.
    if (text.includes('"stream":true')) return eventStream(dialect === 'openai' ? openaiFrames : anthropicFrames, text.includes(slowModel) ? SLOW_EVENT_MS : 0)
    return new Response(dialect === 'openai' ? OPENAI_BODY : ANTHROPIC_BODY, { headers: JSON_HEADERS })
  }

  return Bun.serve({
    hostname: '127.0.0.1',
    port,
    routes: {
      '/v1/chat/completions': { POST: (request) => answer(request, '', 'openai') },
      '/:segment/v1/chat/completions': { POST: (request) => answer(request, request.params.segment, 'openai') },
      '/v1/messages': { POST: (request) => answer(request, '', 'anthropic') },
      '/:segment/v1/messages': { POST: (request) => answer(request, request.params.segment, 'anthropic') },
      '/__stats': { GET: () => Response.json(Object.fromEntries(stats)) },
    },
    fetch: () => new Response('not found', { status: 404 }),
  })
}

if (import.meta.main) {
  const at = Bun.argv.indexOf('--port')
  const server = startUpstream(at === -1 ? 0 : Number(Bun.argv[at + 1]))
  console.log(`listening on http://127.0.0.1:${server.port}`)
}
