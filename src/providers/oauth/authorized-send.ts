// Sends a request with the current access token; when the upstream answers 401 the token
// is refreshed once (shared with concurrent callers) and the request replayed once.
import type { Token, TokenSource } from './token-source.ts'

export async function sendAuthorized(tokens: TokenSource, send: (token: Token) => Promise<Response>): Promise<Response> {
  const token = await tokens.get()
  const response = await send(token)
  if (response.status !== 401) return response
  await response.body?.cancel().catch(() => undefined)
  return send(await tokens.invalidate(token))
}
