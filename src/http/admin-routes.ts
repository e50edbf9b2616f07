// Gateway routes that are not a client dialect: /health (no auth) and /pools (auth).
import { Elysia } from 'elysia'
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
}
