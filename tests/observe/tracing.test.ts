// OpenTelemetry through an in-test OTLP/HTTP receiver: a server span per request that
// continues the client's traceparent, a client span per upstream attempt whose context goes
// upstream, GenAI semantic-convention attributes, no prompt text; nothing without the env.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { openaiBody, PROMPT, startPool, type PoolSetup } from './helpers.ts'
import { post } from '../helpers/gateway.ts'

interface OtlpValue {
  stringValue?: string
  intValue?: string | number
  boolValue?: boolean
  doubleValue?: number
  arrayValue?: { values?: OtlpValue[] }
}
interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: number
  attributes: Array<{ key: string; value: OtlpValue }>
  status?: { code?: number }
}
interface Span extends Omit<OtlpSpan, 'attributes'> {
  attributes: Record<string, unknown>
}

const SERVER = 2
const CLIENT = 3
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'
const PARENT_ID = '00f067aa0ba902b7'

const plainValue = (value: OtlpValue): unknown => {
  if (value.stringValue !== undefined) return value.stringValue
  if (value.intValue !== undefined) return Number(value.intValue)
  if (value.boolValue !== undefined) return value.boolValue
  if (value.doubleValue !== undefined) return value.doubleValue
  return value.arrayValue?.values?.map(plainValue)
}

let receiver: ReturnType<typeof Bun.serve>
const bodies: string[] = []
let setup: PoolSetup

function spans(): Span[] {
  return bodies.flatMap((body) => {
    const parsed = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> }
    return parsed.resourceSpans.flatMap((resource) =>
      resource.scopeSpans.flatMap((scope) =>
        scope.spans.map((span) => ({
          ...span,
          attributes: Object.fromEntries(span.attributes.map((attribute) => [attribute.key, plainValue(attribute.value)])),
        })),
      ),
    )
  })
}

beforeAll(async () => {
  receiver = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      if (new URL(request.url).pathname === '/v1/traces') bodies.push(await request.text())
      return Response.json({})
    },
  })
  setup = await startPool({}, { otelEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`, OTEL_SERVICE_NAME: 'switchboard-test' } })
  await setup.gw.gateway.observer.ready
})
afterAll(async () => {
  await setup.stop()
  await setup.gw.gateway.observer.shutdown()
  receiver.stop(true)
})

describe('OpenTelemetry traces', () => {
  test('a request continues the incoming trace: one server span, one client span per attempt, GenAI attributes', async () => {
    // Both members fail once, so the request takes three attempts.
    setup.fakes['member-a'].enqueue({ kind: 'status', status: 500 })
    setup.fakes['member-b'].enqueue({ kind: 'status', status: 500 })
    const response = await post(setup.gw, '/v1/chat/completions', openaiBody(), { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` })
    expect(response.status).toBe(200)
    const requestId = response.headers.get('x-request-id')
    await response.text()
    await setup.gw.gateway.observer.flush()

    const inTrace = spans().filter((span) => span.traceId === TRACE_ID)
    const server = inTrace.find((span) => span.kind === SERVER)
    expect(server?.parentSpanId).toBe(PARENT_ID)
    expect(server?.name).toBe('POST /v1/chat/completions')
    expect(server?.attributes).toMatchObject({
      'gen_ai.system': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini',
      'gen_ai.response.finish_reasons': ['stop'],
      'http.response.status_code': 200,
      'switchboard.provider': 'openai-custom',
      'switchboard.attempts': 3,
      'switchboard.request_id': requestId,
    })
    expect(server?.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0)
    expect(server?.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0)

    const attempts = inTrace
      .filter((span) => span.kind === CLIENT)
      .sort((a, b) => Number(a.attributes['switchboard.attempt']) - Number(b.attributes['switchboard.attempt']))
    expect(attempts.map((span) => span.attributes['switchboard.attempt'])).toEqual([1, 2, 3])
    expect(attempts.every((span) => span.parentSpanId === server?.spanId)).toBe(true)
    expect(attempts.map((span) => span.attributes['http.response.status_code'])).toEqual([500, 500, 200])
    expect(new Set(attempts.map((span) => span.attributes['switchboard.instance']))).toEqual(new Set(['member-a', 'member-b']))

    // Each upstream call carried the trace, with its own attempt span as the parent.
    const sent = Object.values(setup.fakes).flatMap((fake) => fake.journal.map((entry) => entry.headers.traceparent))
    expect(sent.sort()).toEqual(attempts.map((span) => `00-${TRACE_ID}-${span.spanId}-01`).sort())
  })

  test('a request without traceparent starts its own trace', async () => {
    const response = await post(setup.gw, '/v1/chat/completions', openaiBody())
    await response.text()
    await setup.gw.gateway.observer.flush()
    const servers = spans().filter((span) => span.kind === SERVER && span.attributes['switchboard.request_id'] === response.headers.get('x-request-id'))
    expect(servers).toHaveLength(1)
    expect(servers[0]?.traceId).not.toBe(TRACE_ID)
    expect(servers[0]?.parentSpanId ?? '').toBe('')
  })

  test("a caller's traceparent marked not sampled is continued upstream, and nothing is exported", async () => {
    const quietTrace = '0af7651916cd43dd8448eb211c80319c'
    const before = Object.values(setup.fakes).map((fake) => fake.journal.length)
    await (await post(setup.gw, '/v1/chat/completions', openaiBody(), { traceparent: `00-${quietTrace}-${PARENT_ID}-00` })).text()
    await setup.gw.gateway.observer.flush()
    expect(spans().filter((span) => span.traceId === quietTrace)).toEqual([])
    const sent = Object.values(setup.fakes).flatMap((fake, index) => fake.journal.slice(before[index]).map((entry) => entry.headers.traceparent))
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatch(new RegExp(`^00-${quietTrace}-[0-9a-f]{16}-00$`))
  })

  test('OTEL_TRACES_SAMPLER=always_off exports nothing', async () => {
    const off = await startPool({}, { otelEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}`, OTEL_TRACES_SAMPLER: 'always_off' } })
    try {
      await off.gw.gateway.observer.ready
      const response = await post(off.gw, '/v1/chat/completions', openaiBody())
      await response.text()
      await off.gw.gateway.observer.flush()
      expect(spans().filter((span) => span.attributes['switchboard.request_id'] === response.headers.get('x-request-id'))).toEqual([])
    } finally {
      await off.stop()
      await off.gw.gateway.observer.shutdown()
    }
  })

  test('spans carry the service name and no prompt text or key', () => {
    const all = bodies.join('\n')
    expect(all).toContain('switchboard-test')
    for (const secret of [PROMPT, setup.gw.key, 'sk-observe-member']) expect(all).not.toContain(secret)
  })

  test('without OTEL_EXPORTER_OTLP_ENDPOINT nothing is traced and the client traceparent passes through', async () => {
    const plain = await startPool()
    try {
      const traceparent = `00-${TRACE_ID}-${PARENT_ID}-01`
      await (await post(plain.gw, '/v1/chat/completions', openaiBody(), { traceparent })).text()
      const sent = Object.values(plain.fakes).flatMap((fake) => fake.journal.map((entry) => entry.headers.traceparent))
      expect(sent).toEqual([traceparent])
    } finally {
      await plain.stop()
    }
  })
})
