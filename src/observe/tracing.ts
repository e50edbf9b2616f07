// OpenTelemetry traces over OTLP/HTTP, on only when OTEL_EXPORTER_OTLP_ENDPOINT (or the
// traces-specific variable) is set: a server span per request, continuing an incoming
// `traceparent`, and a client span per upstream attempt whose context goes upstream. The
// official SDK is loaded on first use, so a gateway without tracing never evaluates it.
import type { Span } from '@opentelemetry/api'

export type Attributes = Record<string, string | number | boolean | string[] | undefined>

export interface AttemptSpan {
  /** The `traceparent` to send upstream, naming this attempt as the parent. */
  traceparent: string
  end(attributes: Attributes, error?: { message: string }): void
}

export interface RequestSpan {
  readonly traceId: string
  attempt(attributes: Attributes): AttemptSpan
  end(attributes: Attributes, error?: { message: string }): void
}

export interface Tracing {
  startRequest(name: string, traceparent: string | null, attributes: Attributes): RequestSpan
  /** Sends what is buffered now. */
  flush(): Promise<void>
  /** Sends what is buffered and stops the exporter. */
  shutdown(): Promise<void>
}

/**
 * Environment variables; the standard OTel ones are read: OTEL_SDK_DISABLED,
 * OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, OTEL_EXPORTER_OTLP_(TRACES_)HEADERS, OTEL_SERVICE_NAME,
 * OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER(_ARG).
 */
export type OtelEnv = Readonly<Record<string, string | undefined>>

/** Where spans go, or undefined when tracing is off. */
export function tracesUrl(env: OtelEnv): string | undefined {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim()
  if (traces) return traces
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined
}

/** `k1=v1,k2=v2` with percent-encoded values, as the OTel spec writes headers and resource attributes. */
export function parseKeyValues(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of (text ?? '').split(',')) {
    const equals = pair.indexOf('=')
    if (equals <= 0) continue
    const key = pair.slice(0, equals).trim()
    const raw = pair.slice(equals + 1).trim()
    try {
      out[key] = decodeURIComponent(raw)
    } catch {
      out[key] = raw
    }
  }
  return out
}

type Sdk = typeof import('@opentelemetry/sdk-trace')

/**
 * OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG as the spec names them; the default,
 * parentbased_always_on, traces everything unless the caller's traceparent says not sampled.
 */
export function samplerFrom(sdk: Sdk, env: OtelEnv) {
  const ratio = Number(env.OTEL_TRACES_SAMPLER_ARG ?? 1)
  const fraction = Number.isFinite(ratio) && ratio >= 0 && ratio <= 1 ? ratio : 1
  switch (env.OTEL_TRACES_SAMPLER?.trim().toLowerCase()) {
    case 'always_on':
      return new sdk.AlwaysOnSampler()
    case 'always_off':
      return new sdk.AlwaysOffSampler()
    case 'traceidratio':
      return new sdk.TraceIdRatioBasedSampler(fraction)
    case 'parentbased_always_off':
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() })
    case 'parentbased_traceidratio':
      return new sdk.ParentBasedSampler({ root: new sdk.TraceIdRatioBasedSampler(fraction) })
    default:
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() })
  }
}

/** The tracer, once the SDK has loaded; undefined (and nothing loaded) when tracing is off. */
export async function createTracing(env: OtelEnv, version: string): Promise<Tracing | undefined> {
  const url = tracesUrl(env)
  if (!url) return undefined
  const [api, core, resources, sdk, otlp] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/exporter-trace-otlp-http'),
  ])
  const headers = { ...parseKeyValues(env.OTEL_EXPORTER_OTLP_HEADERS), ...parseKeyValues(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS) }
  const exporter = new otlp.OTLPTraceExporter({ url, headers })
  const resource = resources.resourceFromAttributes({
    ...parseKeyValues(env.OTEL_RESOURCE_ATTRIBUTES),
    'service.name': env.OTEL_SERVICE_NAME?.trim() || 'switchboard',
    'service.version': version,
  })
  const provider = new sdk.TracerProvider({ resource, sampler: samplerFrom(sdk, env), spanProcessors: [new sdk.BatchSpanProcessor({ exporter })] })
  const tracer = provider.getTracer('switchboard', version)
  const propagator = new core.W3CTraceContextPropagator()
  const getter = { get: (carrier: Record<string, string>, key: string) => carrier[key], keys: (carrier: Record<string, string>) => Object.keys(carrier) }
  const setter = { set: (carrier: Record<string, string>, key: string, value: string) => (carrier[key] = value) }
  const clean = (attributes: Attributes) => {
    const out: Record<string, string | number | boolean | string[]> = {}
    for (const key in attributes) if (attributes[key] !== undefined) out[key] = attributes[key] as string
    return out
  }
  const finish = (span: Span, attributes: Attributes, error?: { message: string }) => {
    span.setAttributes(clean(attributes))
    if (error) span.setStatus({ code: api.SpanStatusCode.ERROR, message: error.message })
    span.end()
  }
  return {
    startRequest(name, traceparent, attributes) {
      const parent = traceparent ? propagator.extract(api.ROOT_CONTEXT, { traceparent }, getter) : api.ROOT_CONTEXT
      const span = tracer.startSpan(name, { kind: api.SpanKind.SERVER, attributes: clean(attributes) }, parent)
      const context = api.trace.setSpan(parent, span)
      return {
        traceId: span.spanContext().traceId,
        attempt(attemptAttributes) {
          const child = tracer.startSpan('upstream attempt', { kind: api.SpanKind.CLIENT, attributes: clean(attemptAttributes) }, context)
          const carrier: Record<string, string> = {}
          propagator.inject(api.trace.setSpan(context, child), carrier, setter)
          return { traceparent: carrier.traceparent ?? '', end: (end, error) => finish(child, end, error) }
        },
        end: (end, error) => finish(span, end, error),
      }
    },
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  }
}
