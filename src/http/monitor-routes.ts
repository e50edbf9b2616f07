// Monitoring routes: GET /metrics (Prometheus text; open when METRICS_AUTH=false) and the
// dashboard, one self-contained page plus the JSON it polls (both behind the key; the page
// asks for it, or takes ?key=).
import { Elysia } from 'elysia'
import dashboardPage from '../observe/dashboard.html' with { type: 'text' }
import type { Runtime } from '../pipeline/runtime.ts'

export function monitorRoutes(runtime: Runtime, version: string) {
  const { observer, pools } = runtime
  // Imported as text; the type Bun declares for .html files is its bundler's, hence the cast.
  const page = (dashboardPage as unknown as string).replace('{{version}}', version)
  return new Elysia({ name: 'monitor-routes' })
    .get(
      '/metrics',
      () => {
        const { text, contentType } = observer.metrics.scrape()
        return new Response(text, { headers: { 'content-type': contentType } })
      },
      { detail: { tags: ['gateway'], summary: 'Prometheus metrics (key needed unless METRICS_AUTH=false)' } },
    )
    .get('/dashboard', () => new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } }), {
      detail: { tags: ['gateway'], summary: 'Live dashboard page (open it in a browser; it asks for the key, or pass ?key=)' },
    })
    .get(
      '/dashboard/data',
      () =>
        new Response(
          JSON.stringify({
            now: new Date(runtime.now()).toISOString(),
            version,
            pools: pools.snapshot(),
            traffic: observer.window.summary(),
            ...(runtime.replicas === undefined ? {} : { sharing: runtime.replicas.status() }),
            // With client keys: today's usage per key (by name), for the usage panel.
            ...(runtime.keys === undefined ? {} : { usage: runtime.keys.todayByKey() }),
          }),
          {
            headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
          },
        ),
      { detail: { tags: ['gateway'], summary: 'What the dashboard shows, as JSON' } },
    )
}
