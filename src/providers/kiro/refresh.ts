// Token refresh (docs/protocols.md#kiro-token-refresh): social logins at Kiro's auth service, IdC logins at
// AWS SSO-OIDC CreateToken; and the atomic write-back into the token file.
import { type GatewayError, badGateway, rateLimited, unauthorized } from '../../errors/gateway-error.ts'
import { CREDENTIAL_FILE_MAX_BYTES, readBoundedText } from '../../fs/read-bounded.ts'
import { writeFileAtomic } from '../../fs/atomic-write.ts'
import { retryAfterFromHeaders, upstreamFetch } from '../../upstream/http.ts'
import { readCappedText } from '../../upstream/body.ts'
import { TOKEN_REPLY_MAX_BYTES } from '../oauth/token-endpoint.ts'
import type { KiroCredentials } from './credentials.ts'
import { formatExpiresAt } from './expires-at.ts'
import { isRecord, parseJsonObject } from '../../json/read.ts'

export interface RefreshEndpoints {
  /** KIRO_REFRESH_URL, `{{region}}` not yet replaced. */
  social: string
  /** KIRO_REFRESH_IDC_URL, `{{region}}` not yet replaced. */
  idc: string
}

export interface RefreshedToken {
  accessToken: string
  refreshToken: string
  expiresAt: number
  profileArn?: string
}

export interface RefreshDeps {
  fetch: typeof fetch
  now: () => number
}

/** A refresh that hangs must not hold every waiting request for the full request timeout. */
const REFRESH_TIMEOUT_MS = 15_000
/** What Kiro and A2A assume when the answer has no expiresIn. */
const DEFAULT_EXPIRES_IN_S = 3600

export function withRegion(url: string, region: string): string {
  return url.replaceAll('{{region}}', region)
}

/** The message of every "log in again" failure; `source` names the file or the base64 key. */
export function reloginError(what: string, source: string, detail?: string): GatewayError {
  const suffix = detail ? ` [${detail}]` : ''
  return unauthorized(`${what}; log in again with the Kiro IDE (${source})${suffix}`)
}

/** Exchanges the refresh token for a new access token. Throws GatewayError. */
export async function requestTokenRefresh(
  credentials: KiroCredentials,
  source: string,
  endpoints: RefreshEndpoints,
  deps: RefreshDeps,
): Promise<RefreshedToken> {
  const { refreshToken } = credentials
  if (!refreshToken) throw reloginError('Kiro access token expired and the credentials have no refreshToken', source)
  let url: string
  let body: Record<string, string>
  if (credentials.authMethod === 'social') {
    url = withRegion(endpoints.social, credentials.region)
    body = { refreshToken }
  } else {
    const { clientId, clientSecret } = credentials
    if (!clientId || !clientSecret) throw reloginError('Kiro IdC credentials lack the clientId/clientSecret needed to refresh', source)
    url = withRegion(endpoints.idc, credentials.idcRegion)
    body = { refreshToken, clientId, clientSecret, grantType: 'refresh_token' }
  }

  const response = await upstreamFetch(
    url,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    { timeoutMs: REFRESH_TIMEOUT_MS, fetch: deps.fetch },
  )
  const text = await readCappedText(response, TOKEN_REPLY_MAX_BYTES)
  const parsed = parseJsonObject(text)
  if (!response.ok) throw refreshFailure(response, parsed, source, deps.now())

  const accessToken = parsed?.accessToken
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw badGateway('Kiro token refresh answered without an accessToken')
  }
  const rotated = parsed?.refreshToken
  const expiresIn = parsed?.expiresIn
  const profileArn = parsed?.profileArn
  return {
    accessToken,
    // Keep the old refresh token unless the service rotated it.
    refreshToken: typeof rotated === 'string' && rotated !== '' ? rotated : refreshToken,
    expiresAt: deps.now() + (typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn : DEFAULT_EXPIRES_IN_S) * 1000,
    ...(typeof profileArn === 'string' && profileArn !== '' ? { profileArn } : {}),
  }
}

function refreshFailure(response: Response, body: Record<string, unknown> | undefined, source: string, now: number): GatewayError {
  const status = response.status
  const code = typeof body?.error === 'string' ? body.error : undefined
  // 400 invalid_grant (revoked/expired refresh token), 401 invalid_client and the like: no retry can help.
  if (status === 400 || status === 401 || status === 403) {
    return reloginError('Kiro refresh token was rejected', source, `${status}${code ? ` ${code}` : ''}`)
  }
  const retryAfterMs = retryAfterFromHeaders(response.headers, now)
  const options = { scope: 'member' as const, upstreamStatus: status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) }
  if (status === 429) return rateLimited('Kiro token refresh was throttled', options)
  return badGateway(`Kiro token refresh failed with status ${status}`, options)
}

/**
 * Merges the new token into the token file, keeping every other field the IDE wrote.
 * `fallback` stands in for the file when it has become unreadable meanwhile.
 */
export function saveRefreshedToken(path: string, token: RefreshedToken, fallback: Record<string, unknown>): void {
  let existing = fallback
  try {
    const parsed: unknown = JSON.parse(readBoundedText(path, CREDENTIAL_FILE_MAX_BYTES))
    if (isRecord(parsed)) existing = parsed
  } catch {
    // Keep the fallback: the file vanished or was corrupted since it was loaded.
  }
  const merged = {
    ...existing,
    accessToken: token.accessToken,
    refreshToken: token.refreshToken,
    expiresAt: formatExpiresAt(token.expiresAt),
    ...(token.profileArn === undefined ? {} : { profileArn: token.profileArn }),
  }
  writeFileAtomic(path, `${JSON.stringify(merged, null, 2)}\n`, 0o600)
}
