// Response headers: CORS on everything, selection headers on everything that went
// through selection, and the upstream's own headers on passthrough answers.
import { CODECS } from '../dialects/index.ts'
import type { GatewayError } from '../errors/gateway-error.ts'
import { type ErrorEncoder, errorResponse } from '../errors/render.ts'

/** What any client may send: the key headers auth accepts, selection, and the SDK telemetry headers of Stainless-built SDKs. */
const GATEWAY_HEADERS = [
  'authorization',
  'content-type',
  'x-api-key',
  'x-goog-api-key',
  'model-provider',
  'x-session-id',
  ...['arch', 'lang', 'os', 'package-version', 'retry-count', 'runtime', 'runtime-version', 'timeout'].map((name) => `x-stainless-${name}`),
]

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': [...new Set([...GATEWAY_HEADERS, ...Object.values(CODECS).flatMap((codec) => codec.clientHeaders)])].join(', '),
  'access-control-expose-headers': 'x-switchboard-provider, x-switchboard-instance, x-switchboard-attempts, retry-after, x-request-id, server-timing',
  // Lets browser pages read Server-Timing through the Resource Timing API, not only devtools.
  'timing-allow-origin': '*',
}

/**
 * The answer to a CORS preflight. The requested headers are allowed as asked, as the
 * official APIs effectively do: SDK browser helpers keep adding headers
 * (`x-stainless-helper-method`, …) that a fixed list would miss. The key check still applies
 * to the real request.
 */
export function preflightHeaders(request: Request): Record<string, string> {
  const requested = request.headers.get('access-control-request-headers')
  return {
    ...CORS_HEADERS,
    ...(requested ? { 'access-control-allow-headers': requested } : {}),
    vary: 'Access-Control-Request-Headers',
    'access-control-max-age': '86400',
  }
}

export function selectionHeaders(provider: string, instance?: string, attempts?: number): Record<string, string> {
  const headers: Record<string, string> = { 'x-switchboard-provider': provider }
  if (instance !== undefined) headers['x-switchboard-instance'] = instance
  if (attempts !== undefined) headers['x-switchboard-attempts'] = String(attempts)
  return headers
}

/** What every SSE answer carries, as the official APIs send it: no caching proxies, a kept-open connection. */
const SSE_HEADERS = { 'cache-control': 'no-cache', connection: 'keep-alive' }

export function answerHeaders(contentType: string, selection: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { ...CORS_HEADERS, ...selection, 'content-type': contentType }
  return contentType === 'text/event-stream' ? Object.assign(headers, SSE_HEADERS) : headers
}

/** Upstream headers that describe the connection or the encoding, not the answer. */
const DROPPED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'set-cookie',
  'date',
  'server',
  'alt-svc',
  'strict-transport-security',
])

/** The upstream's headers minus connection-level ones and any whose value carries a configured secret. */
export function passthroughHeaders(upstream: Response, selection: Record<string, string>, redact: (text: string) => string): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of upstream.headers) if (!DROPPED.has(name) && redact(value) === value) headers[name] = value
  if (headers['content-type']?.startsWith('text/event-stream')) Object.assign(headers, SSE_HEADERS)
  return Object.assign(headers, CORS_HEADERS, selection)
}

/** An error answer in the client's dialect, with CORS and selection headers. */
export function errorAnswer(codec: ErrorEncoder, error: GatewayError, selection: Record<string, string> = {}): Response {
  return errorResponse(codec, error, { ...CORS_HEADERS, ...selection })
}
