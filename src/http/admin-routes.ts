// Gateway routes that are not a client dialect: /health (no auth) and /pools (auth).
import { Elysia } from 'elysia'
import type { Runtime } from '../pipeline/runtime.ts'
import { CORS_HEADERS } from '../pipeline/headers.ts'

export function adminRoutes(runtime: Runtime, version: string) {
  const json = (body: unknown) => new Response(JSON.stringify(body), { headers: { ...CORS_HEADERS, 'content-type': 'application/json' } })
  return new Elysia({ name: 'admin-routes' })
    .get('/health', () => json({ status: 'healthy', timestamp: new Date(runtime.now()).toISOString(), provider: runtime.defaultProvider, version }), {
      detail: { tags: ['gateway'], summary: 'Liveness (no auth)' },
    })
    .get('/pools', () => json(runtime.pools.snapshot()), {
      detail: { tags: ['gateway'], summary: 'Pool members: health, breaker, weight, latency, in-flight, counters (no secrets)' },
    })
}
