// Monitoring of one gateway: opens an Exchange per request, times upstream attempts, and
// when a request is over feeds metrics, the dashboard window, the access log and the trace.
import type { SharingStatus } from '../pools/sharing.ts'
import type { Logger } from '../log.ts'
import type { Pools } from '../pools/types.ts'
import type { GatewayError } from '../errors/gateway-error.ts'
import { type Attempt, Exchange } from './exchange.ts'
import { createMetrics, type Metrics } from './metrics.ts'
import { createTracing, type OtelEnv, type Tracing } from './tracing.ts'
import { TrafficWindow } from './window.ts'

/** A client's own request id is kept when it is a sane token; anything else gets a new one. */
const CLIENT_ID = /^[\w.:@/+=-]{1,128}$/

/** Paths the monitoring itself is read through: no access line for every scrape or poll. */
const QUIET_PATHS = new Set(['/health', '/metrics', '/dashboard', '/dashboard/data'])

/** The GenAI semantic conventions' name of the API behind each provider (old and new attribute name). */
const GEN_AI_SYSTEMS: Record<string, string> = {
  'openai-custom': 'openai',
  'openai-responses-custom': 'openai',
  'claude-custom': 'anthropic',
  'gemini-cli-oauth': 'gcp.gemini',
  'claude-kiro-oauth': 'aws.bedrock',
  'openai-qwen-oauth': 'qwen',
}

function genAiSystem(provider: string): Record<string, string> {
  const system = GEN_AI_SYSTEMS[provider] ?? provider
  return { 'gen_ai.system': system, 'gen_ai.provider.name': system }
}

export interface ObserverOptions {
  pools: Pools
  log: Logger
  now: () => number
  env: OtelEnv
  version: string
  /** An access line per request (LOG_ACCESS). */
  accessLog: boolean
  /** Called once per finished request (client-key usage and budgets). */
  onFinish?: (exchange: Exchange) => void
  /** Whether state is shared with other replicas and Redis answers (REDIS_URL only). */
  sharing?: () => SharingStatus
}

export class Observer {
  readonly metrics: Metrics
  readonly window: TrafficWindow
  /** Settles once tracing is set up (at once when it is off). */
  readonly ready: Promise<void>
  private tracing: Tracing | undefined
  private readonly exchanges = new WeakMap<Request, Exchange>()

  constructor(private readonly options: ObserverOptions) {
    this.metrics = createMetrics(options.pools, options.sharing)
    this.window = new TrafficWindow(options.now, options.log.redact)
    this.ready = createTracing(options.env, options.version).then(
      (tracing) => {
        this.tracing = tracing
      },
      (error: unknown) => options.log.error(`tracing is off: ${error instanceof Error ? error.message : String(error)}`),
    )
  }

  begin(request: Request, path: string): Exchange {
    const given = request.headers.get('x-request-id')
    const id = given && CLIENT_ID.test(given) ? given : crypto.randomUUID()
    const exchange = new Exchange(id, request.method, path, performance.now())
    this.exchanges.set(request, exchange)
    if (this.tracing && !QUIET_PATHS.has(path)) {
      exchange.span = this.tracing.startRequest(`${request.method} ${path}`, request.headers.get('traceparent'), {
        'http.request.method': request.method,
        'url.path': path,
        'switchboard.request_id': id,
      })
    }
    return exchange
  }

  /** The exchange `begin` opened for this request (one is opened when none was). */
  of(request: Request): Exchange {
    return this.exchanges.get(request) ?? this.begin(request, new URL(request.url, 'http://localhost').pathname)
  }

  /** Stamps the answer (request id, Server-Timing) and, unless the data path ends it later, records it. */
  answer(exchange: Exchange, response: Response, error?: GatewayError): Response {
    this.answered(exchange, response.status)
    response.headers.set('x-request-id', exchange.id)
    response.headers.set('server-timing', exchange.serverTiming())
    if (!exchange.deferred) this.finish(exchange, response.status, error ?? exchange.error)
    return response
  }

  /** An upstream attempt starts: its correlation headers and, when tracing, its span. */
  attempt(exchange: Exchange, incoming: Headers, provider: string, instance: string): Attempt {
    exchange.attempts++
    exchange.instance = instance
    if (exchange.attempts > 1) this.metrics.failover(provider)
    const headers: Record<string, string> = { 'x-request-id': exchange.id }
    const attempt: Attempt = { headers, startedAt: performance.now() }
    if (exchange.span) {
      attempt.span = exchange.span.attempt({
        ...genAiSystem(provider),
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': exchange.model,
        'switchboard.provider': provider,
        'switchboard.instance': instance,
        'switchboard.attempt': exchange.attempts,
      })
      headers.traceparent = attempt.span.traceparent
    } else {
      // Not tracing: the client's own trace context still reaches the upstream.
      const traceparent = incoming.get('traceparent')
      if (traceparent) headers.traceparent = traceparent
    }
    return attempt
  }

  /** The attempt is over as far as failover goes: answered (first byte at `firstByteAt`) or failed. */
  attemptDone(exchange: Exchange, attempt: Attempt, firstByteAt: number | undefined, error?: GatewayError): void {
    const end = performance.now()
    exchange.upstreamWaitMs += end - attempt.startedAt
    if (firstByteAt !== undefined && !error) exchange.upstreamMs = firstByteAt - attempt.startedAt
    attempt.span?.end({ 'http.response.status_code': error?.status ?? 200 }, error && { message: this.options.log.redact(error.message) })
  }

  /** The response headers are out: the gateway's share of the time to the answer is known. */
  answered(exchange: Exchange, status: number): void {
    exchange.headersMs ??= performance.now() - exchange.startedAt
    exchange.status = status
  }

  /** The request is over: record it everywhere, once. */
  finish(exchange: Exchange, status: number, error?: GatewayError): void {
    if (exchange.finished) return
    exchange.finished = true
    this.answered(exchange, status)
    if (error) exchange.error = error
    exchange.durationMs = performance.now() - exchange.startedAt
    this.metrics.record(exchange)
    this.window.record(exchange)
    this.options.onFinish?.(exchange)
    if (this.options.accessLog && !QUIET_PATHS.has(exchange.path)) this.accessLog(exchange)
    exchange.span?.end(
      {
        'http.response.status_code': exchange.status,
        ...(exchange.provider ? genAiSystem(exchange.provider) : {}),
        'gen_ai.operation.name': exchange.dialect ? 'chat' : undefined,
        'gen_ai.request.model': exchange.model,
        'gen_ai.response.model': exchange.model,
        'gen_ai.usage.input_tokens': exchange.inputTokens,
        'gen_ai.usage.output_tokens': exchange.outputTokens,
        'gen_ai.response.finish_reasons': exchange.finishReason ? [exchange.finishReason] : undefined,
        'switchboard.dialect': exchange.dialect,
        'switchboard.provider': exchange.provider,
        'switchboard.instance': exchange.instance,
        'switchboard.attempts': exchange.attempts,
      },
      exchange.status >= 500 ? { message: this.options.log.redact(error?.message ?? `status ${exchange.status}`) } : undefined,
    )
  }

  private accessLog(exchange: Exchange): void {
    const ms = (value: number | undefined) => (value === undefined ? undefined : Math.round(value * 100) / 100)
    const route = exchange.provider ? ` ${exchange.dialect}→${exchange.provider}${exchange.instance ? `/${exchange.instance}` : ''}` : ''
    const tokens =
      exchange.inputTokens !== undefined || exchange.outputTokens !== undefined ? ` tokens=${exchange.inputTokens ?? 0}/${exchange.outputTokens ?? 0}` : ''
    this.options.log.info(
      `${exchange.method} ${exchange.path} ${exchange.status} ${ms(exchange.durationMs)}ms${route}${exchange.model ? ` model=${exchange.model}` : ''}${exchange.attempts ? ` attempts=${exchange.attempts}` : ''}${tokens} id=${exchange.id}`,
      {
        event: 'access',
        request_id: exchange.id,
        method: exchange.method,
        path: exchange.path,
        dialect: exchange.dialect,
        provider: exchange.provider,
        key: exchange.clientKey?.name,
        instance: exchange.instance,
        model: exchange.model,
        stream: exchange.dialect ? exchange.stream : undefined,
        status: exchange.status,
        duration_ms: ms(exchange.durationMs),
        upstream_ttfb_ms: ms(exchange.upstreamMs),
        gateway_ms: ms(exchange.gatewayMs),
        attempts: exchange.attempts,
        input_tokens: exchange.inputTokens,
        output_tokens: exchange.outputTokens,
        finish_reason: exchange.finishReason,
        error: exchange.error ? this.options.log.redact(exchange.error.message) : undefined,
        trace_id: exchange.span?.traceId,
      },
    )
  }

  /** Exports the spans buffered so far (tests, shutdown). */
  async flush(): Promise<void> {
    await this.tracing?.flush()
  }

  async shutdown(): Promise<void> {
    await this.tracing?.shutdown()
  }
}
