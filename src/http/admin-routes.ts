// Gateway routes that are not a client dialect: /health (no auth) and /pools (auth).
import { Elysia, t } from 'elysia'
import { badRequest, notFound } from '../errors/gateway-error.ts'
import { quoteInput } from '../errors/echo.ts'
import type { Runtime } from '../pipeline/runtime.ts'
import { CORS_HEADERS } from '../pipeline/headers.ts'

export function adminRoutes(runtime: Runtime, version: string) {
  // Only with REDIS_URL: whether state is shared and Redis answers (without it the answers are unchanged).
  // /health answers without a key, so it does not name the Redis server.
  const sharing = () => (runtime.replicas === undefined ? {} : { sharing: runtime.replicas.status() })
  const sharingBrief = () => {
    const status = runtime.replicas?.status()
    return status === undefined ? {} : { sharing: { shared: status.shared, redisReachable: status.redisReachable } }
  }
  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { ...CORS_HEADERS, 'content-type': 'application/json' } })
  return new Elysia({ name: 'admin-routes' })
    .get(
      '/health',
      () =>
        json(
          {
            status: runtime.drain.draining ? 'draining' : 'healthy',
            timestamp: new Date(runtime.now()).toISOString(),
            provider: runtime.defaultProvider,
            version,
            ...sharingBrief(),
          },
          // A load balancer's health check takes a draining instance out of rotation.
          runtime.drain.draining ? 503 : 200,
        ),
      {
        detail: { tags: ['gateway'], summary: 'Liveness (no auth)' },
      },
    )
    .get('/pools', () => json({ ...runtime.pools.snapshot(), ...sharing() }), {
      detail: { tags: ['gateway'], summary: 'Pool members: health, breaker, weight, latency, in-flight, counters (no secrets)' },
    })
    .get(
      '/usage',
      ({ query }) => {
        if (runtime.keys === undefined) throw notFound('Not Found: usage is recorded when CLIENT_KEYS_FILE_PATH is set')
        for (const bound of [query.from, query.to]) {
          if (bound !== undefined && !DAY.test(bound)) throw badRequest(`from and to must be UTC days such as 2026-12-05, got ${quoteInput(bound)}`)
        }
        runtime.keys.flush()
        const rows = runtime.keys.usage.query({ ...query })
        const totals = { requests: 0, inputTokens: 0, outputTokens: 0, errors: 0 }
        for (const row of rows) {
          totals.requests += row.requests
          totals.inputTokens += row.inputTokens
          totals.outputTokens += row.outputTokens
          totals.errors += row.errors
        }
        return json({ rows, totals })
      },
      {
        query: t.Object({
          from: t.Optional(t.String({ description: 'first UTC day, YYYY-MM-DD' })),
          to: t.Optional(t.String({ description: 'last UTC day, YYYY-MM-DD' })),
          key: t.Optional(t.String({ description: 'a key name from the client keys file ("master" for REQUIRED_API_KEY)' })),
        }),
        detail: { tags: ['gateway'], summary: 'Usage per client key, provider, model and UTC day (master key only; keys by name, never the key)' },
      },
    )
}

const DAY = /^\d{4}-\d{2}-\d{2}$/
