// Errors are values with an HTTP status and a dialect-neutral kind; each dialect renders
// them at the edge (src/errors/render.ts).

export type ErrorKind =
  | 'invalid_request' // 400: bad JSON, schema, unsupported content
  | 'authentication' // 401
  | 'permission' // 403
  | 'not_found' // 404: route, model
  | 'payload_too_large' // 413
  | 'rate_limited' // 429: short-term throttling
  | 'quota_exhausted' // 429: daily/monthly quota gone
  | 'upstream_error' // 5xx from the upstream (status passed through)
  | 'bad_gateway' // 502: upstream garbage, cut streams, corrupt frames
  | 'unavailable' // 503: nothing available / not configured
  | 'timeout' // 504: no first byte in time
  | 'not_implemented' // 501
  | 'internal' // 500: our own bug

/**
 * Who is to blame, which drives failover:
 * - `request`: the client's request caused it; answer at once, never count against a member.
 * - `member`: this member failed (network, 5xx, 429, auth after refresh); try another one.
 * - `gateway`: selection-level outcome (nothing configured/available); answer at once.
 */
export type ErrorScope = 'request' | 'member' | 'gateway'

export interface GatewayErrorOptions {
  scope?: ErrorScope
  /** When the member may be tried again (Retry-After, RetryInfo, quota reset). */
  retryAfterMs?: number
  /**
   * `retryAfterMs` is a quota reset the gateway computed from the provider's schedule
   * (midnight, month start), so a member may rest that long; upstream hints are capped.
   */
  computedReset?: boolean
  /** The upstream's own status, when it differs from ours. */
  upstreamStatus?: number
  cause?: unknown
}

export class GatewayError extends Error {
  readonly status: number
  readonly kind: ErrorKind
  readonly scope: ErrorScope
  readonly retryAfterMs?: number
  readonly upstreamStatus?: number
  readonly computedReset?: boolean

  constructor(status: number, kind: ErrorKind, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'GatewayError'
    this.status = status
    this.kind = kind
    this.scope = options.scope ?? defaultScope(status)
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs
    if (options.upstreamStatus !== undefined) this.upstreamStatus = options.upstreamStatus
    if (options.computedReset) this.computedReset = true
  }
}

function defaultScope(status: number): ErrorScope {
  if (status === 429 || status === 401 || status === 403 || status >= 500) return 'member'
  return 'request'
}

// One named constructor per status and kind; the scope follows the status (see above) unless
// the options say otherwise.
const named =
  (status: number, kind: ErrorKind) =>
  (message: string, options?: GatewayErrorOptions): GatewayError =>
    new GatewayError(status, kind, message, options)

export const badRequest = named(400, 'invalid_request')
export const unauthorized = named(401, 'authentication')
export const forbidden = named(403, 'permission')
export const notFound = named(404, 'not_found')
export const rateLimited = named(429, 'rate_limited')
export const quotaExhausted = named(429, 'quota_exhausted')
/** 499 (nginx's "client closed request"): nobody is left to answer, and no member is to blame. */
export const clientClosed = named(499, 'invalid_request')
export const badGateway = named(502, 'bad_gateway')
export const unavailable = named(503, 'unavailable')
export const gatewayTimeout = named(504, 'timeout')
/** Our own bug: never the member's fault. */
export const internalError = (message: string, options?: GatewayErrorOptions): GatewayError =>
  new GatewayError(500, 'internal', message, { scope: 'gateway', ...options })

const KIND_BY_STATUS: Record<number, ErrorKind> = {
  400: 'invalid_request',
  401: 'authentication',
  403: 'permission',
  404: 'not_found',
  413: 'payload_too_large',
  422: 'invalid_request',
  429: 'rate_limited',
  501: 'not_implemented',
  502: 'bad_gateway',
  503: 'unavailable',
  504: 'timeout',
}

/** The kind that best describes an upstream HTTP status. */
export function kindForStatus(status: number): ErrorKind {
  return KIND_BY_STATUS[status] ?? (status >= 500 ? 'upstream_error' : 'invalid_request')
}

/** Anything thrown, as a GatewayError (unknown throwables are our own bugs: 500). */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error
  const message = error instanceof Error ? error.message : String(error)
  return internalError(`internal error: ${message}`, { cause: error })
}

/**
 * The longest wait an upstream's hint (Retry-After, RetryInfo) can impose: one bogus
 * `Retry-After: 99999999` must not bench a member, or a client, for years.
 */
export const MAX_HINTED_RETRY_MS = 3_600_000

/** How long to wait before trying again: the hint, capped unless the gateway computed it. */
export function trustedRetryAfterMs(error: GatewayError): number | undefined {
  if (error.retryAfterMs === undefined) return undefined
  const wait = Math.max(0, error.retryAfterMs)
  return error.computedReset ? wait : Math.min(wait, MAX_HINTED_RETRY_MS)
}
