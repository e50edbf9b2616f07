// The path a request is for, decided once from the URL the router matches, before auth.
//
// With a valid Host, Bun hands over an absolute URL whose path is already normalised (dot
// segments resolved); the router matches that same string, so auth judges exactly what the
// router serves. Without a valid Host the URL is relative and unnormalised, and a path read
// from it can disagree with the route that answers (`/pools?a=//x/health` once passed as
// public): such requests are refused, except HTTP/1.0's host-less `GET /health` that load
// balancers send as their health check. Bun itself refuses HTTP/1.1 without any Host.

export type RequestTarget = { ok: true; path: string } | { ok: false; reason: string }

const ABSOLUTE = /^https?:\/\//

/** Path of an absolute URL: from the first `/` after the authority up to the query, as the router reads it. */
export function pathOfUrl(url: string): string {
  const authority = url.indexOf('//')
  const start = authority === -1 ? url.indexOf('/') : url.indexOf('/', authority + 2)
  if (start === -1) return '/'
  const query = url.indexOf('?', start)
  return query === -1 ? url.slice(start) : url.slice(start, query)
}

export function requestTarget(request: Request): RequestTarget {
  const url = request.url
  if (ABSOLUTE.test(url)) return { ok: true, path: pathOfUrl(url) }
  if (request.headers.has('host')) return { ok: false, reason: 'invalid Host header' }
  const path = url.split('?', 1)[0]
  if (path === '/health' && (request.method === 'GET' || request.method === 'HEAD')) return { ok: true, path }
  return { ok: false, reason: 'a Host header is required' }
}
