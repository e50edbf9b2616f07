// Qwen's refresh exchange (public client, no secret). The refresh token may rotate; the
// old one is kept when none is returned. A rejected refresh leaves the user's file alone.
import { badGateway, unauthorized } from '../../errors/gateway-error.ts'
import { expiresInSeconds, postTokenForm, stringField } from '../oauth/token-endpoint.ts'
import type { QwenCredential } from './credentials.ts'

// Qwen Code's public OAuth client.
export const QWEN_CODE_CLIENT_ID = 'f0304373b74a44d2b584a3fb70ca9e56'

export interface QwenRefreshOptions {
  /** QWEN_OAUTH_BASE_URL: the OAuth origin. */
  oauthBaseUrl: string
  path: string
  fetch: typeof fetch
  now: () => number
  timeoutMs: number
}

export async function refreshQwenToken(credential: QwenCredential, options: QwenRefreshOptions): Promise<QwenCredential> {
  const url = `${options.oauthBaseUrl.replace(/\/+$/, '')}/api/v1/oauth2/token`
  const reply = await postTokenForm(
    url,
    { grant_type: 'refresh_token', refresh_token: credential.refreshToken, client_id: QWEN_CODE_CLIENT_ID },
    { fetch: options.fetch, timeoutMs: options.timeoutMs },
  )
  const error = stringField(reply.body, 'error')
  const accessToken = stringField(reply.body, 'access_token')
  if (reply.status === 200 && error === undefined && accessToken !== undefined) {
    const expiresAt = options.now() + (expiresInSeconds(reply.body) ?? 6 * 3600) * 1000
    const refreshToken = stringField(reply.body, 'refresh_token') ?? credential.refreshToken
    const resourceUrl = stringField(reply.body, 'resource_url') ?? credential.resourceUrl
    // The normalised form Qwen Code itself writes (expiry_date, not expires_in).
    const { expires_in: _ignored, ...kept } = credential.raw
    const raw: Record<string, unknown> = {
      ...kept,
      access_token: accessToken,
      token_type: stringField(reply.body, 'token_type') ?? 'Bearer',
      refresh_token: refreshToken,
      expiry_date: expiresAt,
      ...(resourceUrl === undefined ? {} : { resource_url: resourceUrl }),
    }
    return { raw, refreshToken, token: { accessToken, expiresAt }, secrets: [accessToken, refreshToken], ...(resourceUrl === undefined ? {} : { resourceUrl }) }
  }
  if (reply.status === 400 || reply.status === 401 || (reply.status === 200 && error !== undefined)) {
    throw unauthorized(`Qwen refresh token was rejected; log in again with Qwen Code (file: ${options.path})`, {
      upstreamStatus: reply.status,
    })
  }
  const what = reply.status === 200 ? 'an answer without access_token' : `status ${reply.status}`
  throw badGateway(`Qwen token refresh failed at ${url}: ${what}`, { upstreamStatus: reply.status })
}
