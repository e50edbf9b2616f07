// The yardstick: the least a Bun gateway must do for one OpenAI Chat Completions hop.
// It checks the client key, reads and parses the JSON body (a gateway must, to route and
// validate), forwards the exact text with the upstream key, and answers: buffered when
// plain, piped when streamed. No pools, no conversion, no error dialects.
// Run alone: `bun bench/plain-proxy.ts --upstream http://127.0.0.1:PORT/v1 --api-key KEY`;
// prints `listening on http://127.0.0.1:PORT`.

export interface PlainProxyOptions {
  /** Upstream base URL including /v1. */
  upstream: string
  apiKey: string
  upstreamKey: string
  port?: number
}

const MAX_BODY_BYTES = 20 * 1024 * 1024

function failure(status: number, message: string): Response {
  return Response.json({ error: { message, type: 'invalid_request_error' } }, { status })
}

/** The proxy's one route; `upstreamFetch` is replaceable so the micro-benchmark can run it without a network. */
export function plainHandler(options: PlainProxyOptions, upstreamFetch: typeof fetch = fetch): (request: Request) => Promise<Response> {
  const target = `${options.upstream.replace(/\/+$/, '')}/chat/completions`
  const expected = `Bearer ${options.apiKey}`
  const upstreamHeaders = { authorization: `Bearer ${options.upstreamKey}`, 'content-type': 'application/json' }
  return async (request) => {
    if (request.headers.get('authorization') !== expected) return failure(401, 'invalid API key')
    const raw = await request.text()
    let body: unknown
    try {
      body = JSON.parse(raw)
    } catch {
      return failure(400, 'request body is not valid JSON')
    }
    if (typeof body !== 'object' || body === null || typeof (body as { model?: unknown }).model !== 'string') return failure(400, 'model is required')
    const upstream = await upstreamFetch(target, { method: 'POST', headers: upstreamHeaders, body: raw, signal: request.signal })
    const headers = { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }
    if ((body as { stream?: unknown }).stream === true) return new Response(upstream.body, { status: upstream.status, headers })
    return new Response(await upstream.arrayBuffer(), { status: upstream.status, headers })
  }
}

export function startPlainProxy(options: PlainProxyOptions) {
  return Bun.serve({
    hostname: '127.0.0.1',
    port: options.port ?? 0,
    maxRequestBodySize: MAX_BODY_BYTES,
    routes: {
      '/v1/chat/completions': { POST: plainHandler(options) },
      '/health': () => Response.json({ ok: true }),
    },
    fetch: () => failure(404, 'not found'),
  })
}

if (import.meta.main) {
  const flag = (name: string): string | undefined => {
    const at = Bun.argv.indexOf(`--${name}`)
    return at === -1 ? undefined : Bun.argv[at + 1]
  }
  const upstream = flag('upstream')
  const apiKey = flag('api-key')
  if (!upstream || !apiKey) {
    console.error('usage: bun bench/plain-proxy.ts --upstream http://127.0.0.1:PORT/v1 --api-key KEY [--upstream-key KEY] [--port N]')
    process.exit(2)
  }
  const server = startPlainProxy({ upstream, apiKey, upstreamKey: flag('upstream-key') ?? 'bench-upstream-key', port: Number(flag('port') ?? 0) })
  console.log(`listening on http://127.0.0.1:${server.port}`)
}
