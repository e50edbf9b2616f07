// The HTTP application: auth first, then the routes; every error leaves in the dialect the
// route group serving its path declared. Built from a Runtime, so tests can build as many
// as they like.
import { Elysia } from 'elysia'
import { errorForClient } from './errors/for-client.ts'
import { GatewayError, badRequest, forbidden, notFound, toGatewayError } from './errors/gateway-error.ts'
import { adminRoutes } from './http/admin-routes.ts'
import { monitorRoutes } from './http/monitor-routes.ts'
import { createKeyCheck, presentedKey } from './http/auth.ts'
import { DOCS_PATHS, docsRoutes } from './http/docs.ts'
import { pathOfUrl, requestTarget } from './http/request-target.ts'
import { chatRoutes } from './http/routes.ts'
import { describeValidation } from './http/validation-message.ts'
import { CORS_HEADERS, errorAnswer, preflightHeaders } from './pipeline/headers.ts'
import type { Runtime } from './pipeline/runtime.ts'
import { shuttingDown } from './pipeline/drain.ts'
import type { Exchange } from './observe/exchange.ts'
import { isProviderId } from './providers/types.ts'
import { clipInput } from './errors/echo.ts'

/** Routes that answer without a key, matched exactly: a prefix could be steered elsewhere. */
const OPEN_PATHS = new Set(['/health', '/dashboard', ...DOCS_PATHS])

/** A path of a client API route (`/v1/…`, `/v1beta/…`, with or without a provider segment). */
const API_PATH = /^(\/[^/]+)?\/v1(beta)?\//

/** `/`, or `/{provider}` (a base URL with a provider segment), with or without a trailing slash. */
function isBaseUrl(path: string): boolean {
  const segment = path.replace(/^\/|\/$/g, '')
  return segment === '' || isProviderId(segment)
}

/**
 * The routes that are not a client dialect, stamped by a hook local to them. API routes stamp
 * their own answers: an app-wide response hook costs every request several microseconds.
 */
function gatewayRoutes(runtime: Runtime, version: string) {
  return new Elysia({ name: 'gateway-routes' })
    .mapResponse(({ request, response, set }) => {
      const exchange = runtime.observer.of(request)
      if (response instanceof Response) return runtime.observer.answer(exchange, response)
      // Elysia copies these onto the Response it makes from a plain value (the OpenAPI document).
      set.headers['x-request-id'] = exchange.id
      set.headers['server-timing'] = exchange.serverTiming()
      runtime.observer.finish(exchange, typeof set.status === 'number' ? set.status : 200)
      return undefined
    })
    .use(docsRoutes(version))
    .use(adminRoutes(runtime, version))
    .use(monitorRoutes(runtime, version))
}

export function createApp(runtime: Runtime, version: string) {
  const checkKey = createKeyCheck(runtime.config.REQUIRED_API_KEY ?? '')
  const chat = chatRoutes(runtime)
  /** The codec errors of a request render with: its route's, before or after the handler. */
  const codecOf = (request: Request, path: string) => runtime.codecs[chat.dialects.of(request.method, path, request.headers)]
  /** Answers on API paths count as API traffic even when they fail before a handler (auth, bad JSON, unknown model route). */
  const apiTraffic = (request: Request, exchange: Exchange) => {
    if (exchange.dialect === undefined && API_PATH.test(exchange.path)) exchange.dialect = codecOf(request, exchange.path).dialect
  }
  /** An answer before any route: preflight, bad target, HEAD probe, missing or wrong key; else undefined. */
  /**
   * The master key opens every route. A client key (CLIENT_KEYS_FILE_PATH) opens the API routes
   * only (403 elsewhere) and is counted against its limits. A draining gateway takes no new work.
   */
  const authenticate = (request: Request, path: string): GatewayError | undefined => {
    const failure = checkKey(request.headers, request.url)
    const api = API_PATH.test(path)
    if (failure === undefined) return runtime.drain.draining && api ? shuttingDown() : undefined
    const presented = runtime.keys && presentedKey(request.headers, request.url)
    const key = presented ? runtime.keys?.identify(presented) : undefined
    if (key === undefined || runtime.keys === undefined) return failure
    if (!api) return forbidden(`Forbidden: ${clipInput(path)} needs the master key; key ${key.name} is a client key`, { scope: 'request' })
    if (runtime.drain.draining) return shuttingDown()
    const refused = runtime.keys.admit(key)
    if (refused === undefined) runtime.observer.of(request).clientKey = key
    return refused
  }
  const gate = (request: Request): Response | undefined => {
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: preflightHeaders(request) })
    const target = requestTarget(request)
    if (!target.ok) return errorAnswer(runtime.codecs[chat.dialects.resolve(chat.dialects.fallback, request.headers)], badRequest(target.reason))
    const { path } = target
    // Claude Code probes its base URL with HEAD before the first request, without a key.
    if (request.method === 'HEAD' && isBaseUrl(path)) return new Response(null, { status: 200, headers: CORS_HEADERS })
    if (OPEN_PATHS.has(path) || (path === '/metrics' && !runtime.config.METRICS_AUTH)) return undefined
    const failure = authenticate(request, path)
    if (failure) {
      runtime.log.debug(`rejected ${request.method} ${path}: ${failure.message}`)
      runtime.observer.of(request).error = failure
      return errorAnswer(codecOf(request, path), failure)
    }
    return undefined
  }
  return new Elysia({
    normalize: false,
    serve: {
      maxRequestBodySize: runtime.config.MAX_REQUEST_BODY_BYTES + 1024 * 1024,
      // Elysia turns SO_REUSEPORT on; then a second gateway on the same port would quietly share its traffic.
      reusePort: false,
      // For connections with nothing in flight; a streamed answer lifts it (see chatRoutes).
      idleTimeout: runtime.config.CONNECTION_IDLE_TIMEOUT_S,
    },
  })
    .onRequest(({ request }) => {
      const exchange = runtime.observer.begin(request, pathOfUrl(request.url))
      const early = gate(request)
      if (!early) return undefined
      apiTraffic(request, exchange)
      return runtime.observer.answer(exchange, early)
    })
    .onError(({ code, error, request }) => {
      const codec = codecOf(request, pathOfUrl(request.url))
      const exchange = runtime.observer.of(request)
      apiTraffic(request, exchange)
      const answer = (failure: GatewayError) => runtime.observer.answer(exchange, errorAnswer(codec, errorForClient(failure, runtime.log.forClient)), failure)
      if (error instanceof GatewayError) return answer(error)
      // Our body parser's own errors (413, bad UTF-8, bad JSON) arrive wrapped in Elysia's ParseError.
      const cause = (error as { cause?: unknown }).cause
      if (cause instanceof GatewayError) return answer(cause)
      switch (code) {
        case 'NOT_FOUND':
          return answer(notFound(`Not Found: no route ${request.method} ${clipInput(pathOfUrl(request.url))}`))
        case 'VALIDATION':
          return answer(badRequest(`invalid request: ${describeValidation(error)}`))
        case 'PARSE':
          return answer(badRequest('request body is not valid JSON'))
        default: {
          const failure = toGatewayError(error)
          runtime.log.error(`unhandled error on ${request.method} ${pathOfUrl(request.url)}: ${failure.message}`)
          return answer(failure)
        }
      }
    })
    .use(gatewayRoutes(runtime, version))
    .use(chat.routes)
}
