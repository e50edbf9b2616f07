// One member's Kiro login: the credentials as last loaded or refreshed, and the
// TokenSource that refreshes them once at a time, early, and after a rejection.
import type { MemberConfig } from '../../config/schema.ts'
import type { Logger } from '../../log.ts'
import { TokenSource, type Token } from '../oauth/token-source.ts'
import { credentialError, CredentialProblem, describeOrigin, readKiroCredentials, type KiroCredentials, type LoadedCredentials } from './credentials.ts'
import { requestTokenRefresh, saveRefreshedToken, type RefreshDeps } from './refresh.ts'

/** Refresh this long before expiry, so a request never starts with a token about to lapse. */
export const REFRESH_MARGIN_MS = 5 * 60_000

export interface KiroSessionDeps extends RefreshDeps {
  log: Logger
}

export class KiroSession {
  readonly tokens: TokenSource
  private loaded?: LoadedCredentials
  /** The access token the file held when last read or written, to notice other writers. */
  private diskToken?: string

  constructor(
    private readonly config: MemberConfig,
    private readonly deps: KiroSessionDeps,
  ) {
    this.tokens = new TokenSource({
      load: async () => tokenOf(this.latest()),
      refresh: (current) => this.refresh(current),
      now: deps.now,
      marginMs: REFRESH_MARGIN_MS,
    })
  }

  /** The credentials behind the last token handed out (profileArn and region for the request). */
  credentials(): KiroCredentials {
    return (this.loaded ?? this.latest()).credentials
  }

  /**
   * The newest credentials: the file again when another program (the Kiro IDE) rewrote it
   * since we last saw it — it may have rotated the refresh token — else what we hold.
   */
  private latest(): LoadedCredentials {
    if (this.loaded?.origin.kind === 'base64') return this.loaded
    let onDisk: LoadedCredentials
    try {
      onDisk = readKiroCredentials(this.config)
    } catch (error) {
      throw error instanceof CredentialProblem ? credentialError(error) : error
    }
    const { credentials } = onDisk
    for (const secret of [credentials.accessToken, credentials.refreshToken, credentials.clientSecret]) this.deps.log.addSecret(secret)
    if (this.loaded === undefined || credentials.accessToken !== this.diskToken) {
      this.loaded = onDisk
      this.diskToken = credentials.accessToken
    }
    return this.loaded
  }

  private async refresh(current: Token): Promise<Token> {
    const loaded = this.latest()
    const held = tokenOf(loaded)
    if (held.accessToken && held.accessToken !== current.accessToken && held.expiresAt !== undefined && held.expiresAt - this.deps.now() > REFRESH_MARGIN_MS) {
      return held
    }

    const source = describeOrigin(loaded.origin)
    const endpoints = { social: this.config.KIRO_REFRESH_URL, idc: this.config.KIRO_REFRESH_IDC_URL }
    const refreshed = await requestTokenRefresh(loaded.credentials, source, endpoints, this.deps)
    this.deps.log.addSecret(refreshed.accessToken)
    this.deps.log.addSecret(refreshed.refreshToken)
    const credentials: KiroCredentials = { ...loaded.credentials, ...refreshed }
    this.loaded = { credentials, origin: loaded.origin }
    if (loaded.origin.kind === 'file') {
      try {
        saveRefreshedToken(loaded.origin.path, refreshed, { ...credentials, authMethod: credentials.authMethod === 'social' ? 'social' : 'IdC' })
        this.diskToken = refreshed.accessToken
      } catch (error) {
        // The new token still works from memory; only the next start would need a refresh.
        this.deps.log.warn(`kiro: could not write the refreshed token to ${loaded.origin.path}: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
    this.deps.log.info(`kiro: refreshed the access token (${source})`)
    return { accessToken: refreshed.accessToken, expiresAt: refreshed.expiresAt }
  }
}

function tokenOf(loaded: LoadedCredentials): Token {
  const { accessToken, expiresAt } = loaded.credentials
  return expiresAt === undefined || !accessToken ? { accessToken } : { accessToken, expiresAt }
}
