// A form-encoded POST to an OAuth token endpoint (RFC 6749 §6 refresh), answered with JSON.
import { upstreamFetch } from '../../upstream/http.ts'
import { readCappedText } from '../../upstream/body.ts'

/** Token replies are a few hundred bytes; anything near this is not one. */
export const TOKEN_REPLY_MAX_BYTES = 1024 * 1024
import { parseJsonObject } from '../../json/read.ts'

export interface TokenEndpointReply {
  status: number
  /** The JSON object answered, or undefined when the body was not a JSON object. */
  body: Record<string, unknown> | undefined
  headers: Headers
}

export interface TokenEndpointOptions {
  fetch: typeof fetch
  timeoutMs: number
}

export async function postTokenForm(url: string, form: Record<string, string>, options: TokenEndpointOptions): Promise<TokenEndpointReply> {
  const response = await upstreamFetch(
    url,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    },
    { timeoutMs: options.timeoutMs, fetch: options.fetch },
  )
  const text = await readCappedText(response, TOKEN_REPLY_MAX_BYTES)
  return { status: response.status, body: parseJsonObject(text), headers: response.headers }
}

/** A string field of a token reply, or undefined. */
export function stringField(body: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = body?.[key]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** `expires_in` (seconds) of a token reply, or undefined. */
export function expiresInSeconds(body: Record<string, unknown> | undefined): number | undefined {
  const value = body?.expires_in
  const seconds = typeof value === 'string' ? Number(value) : value
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined
}
