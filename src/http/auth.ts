// Client authentication: one key, accepted from any of the places the three SDKs put it,
// compared in constant time. Messages start with "Unauthorized", as drop-in users' test
// suites (written for AIClient-2-API) look for that word.
import { timingSafeEqual } from 'node:crypto'
import { type GatewayError, unauthorized } from '../errors/gateway-error.ts'

/** The key a client sent: Bearer, x-api-key, x-goog-api-key or ?key=. */
export function presentedKey(headers: Headers, url: string): string | undefined {
  const authorization = headers.get('authorization')
  if (authorization && /^bearer\s+/i.test(authorization)) return authorization.replace(/^bearer\s+/i, '').trim()
  const header = headers.get('x-api-key') ?? headers.get('x-goog-api-key')
  if (header) return header.trim()
  const query = url.indexOf('?')
  if (query !== -1) return new URLSearchParams(url.slice(query + 1)).get('key') ?? undefined
  return undefined
}

export function createKeyCheck(requiredKey: string): (headers: Headers, url: string) => GatewayError | undefined {
  // A blank key would match a blank Bearer token or `?key=+++`: refuse to build such a check.
  if (requiredKey.trim() === '') throw new Error('REQUIRED_API_KEY must not be empty or blank')
  const expected = Buffer.from(requiredKey)
  return (headers, url) => {
    const key = presentedKey(headers, url)
    if (key === undefined)
      return unauthorized('Unauthorized: missing API key; send Authorization: Bearer <key>, x-api-key, x-goog-api-key or ?key=', {
        scope: 'request',
      })
    const given = Buffer.from(key)
    // Compare equal-length buffers only; the length itself is not secret enough to matter.
    const ok = given.length === expected.length && timingSafeEqual(given, expected)
    return ok ? undefined : unauthorized('Unauthorized: invalid API key', { scope: 'request' })
  }
}
