// Google's refresh exchange for the Gemini CLI's installed-app OAuth client. Google does not
// rotate refresh tokens here, so the old one is kept unless a new one is returned.
import { badGateway, unauthorized } from '../../errors/gateway-error.ts'
import { expiresInSeconds, postTokenForm, stringField } from '../oauth/token-endpoint.ts'
import type { GeminiCredential } from './credentials.ts'

// The Gemini CLI's public installed-app client (Google documents such secrets as not secret).
export const GEMINI_CLI_CLIENT_ID = '681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com'
export const GEMINI_CLI_CLIENT_SECRET = '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'

export interface GeminiRefreshOptions {
  tokenUrl: string
  /** Where the credential lives, for messages (`file: …`). */
  where: string
  fetch: typeof fetch
  now: () => number
  timeoutMs: number
}

export async function refreshGeminiToken(credential: GeminiCredential, options: GeminiRefreshOptions): Promise<GeminiCredential> {
  const reply = await postTokenForm(
    options.tokenUrl,
    {
      grant_type: 'refresh_token',
      refresh_token: credential.refreshToken,
      client_id: GEMINI_CLI_CLIENT_ID,
      client_secret: GEMINI_CLI_CLIENT_SECRET,
    },
    { fetch: options.fetch, timeoutMs: options.timeoutMs },
  )
  const error = stringField(reply.body, 'error')
  const accessToken = stringField(reply.body, 'access_token')
  if (reply.status === 200 && error === undefined && accessToken !== undefined) {
    const expiresIn = expiresInSeconds(reply.body) ?? 3600
    const expiresAt = options.now() + expiresIn * 1000
    const refreshToken = stringField(reply.body, 'refresh_token') ?? credential.refreshToken
    const raw: Record<string, unknown> = { ...credential.raw, access_token: accessToken, refresh_token: refreshToken, expiry_date: expiresAt }
    for (const key of ['token_type', 'scope', 'id_token']) {
      const value = stringField(reply.body, key)
      if (value !== undefined) raw[key] = value
    }
    return { raw, refreshToken, token: { accessToken, expiresAt }, secrets: [accessToken, refreshToken] }
  }
  if (error === 'invalid_grant') {
    throw unauthorized(`Gemini refresh token expired or revoked; log in again with the Gemini CLI (${options.where})`, {
      upstreamStatus: reply.status,
    })
  }
  if (error === 'invalid_client' || error === 'unauthorized_client') {
    throw unauthorized(`Google rejected the Gemini CLI OAuth client (${error}) at ${options.tokenUrl}`, {
      upstreamStatus: reply.status,
    })
  }
  const what = error ?? (reply.status === 200 ? 'an answer without access_token' : `status ${reply.status}`)
  throw badGateway(`Gemini token refresh failed at ${options.tokenUrl}: ${what}`, {
    upstreamStatus: reply.status,
  })
}
