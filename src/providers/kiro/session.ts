// One member's Kiro login: the credentials as last loaded or refreshed, and the
// TokenSource that refreshes them once at a time, early, and after a rejection.
import type { MemberConfig } from '../../config/schema.ts'
import type { Logger } from '../../log.ts'
import { type CredentialRecord, expiresLater, type SharedCredential } from '../oauth/shared-credential.ts'
import { TokenSource, type Token } from '../oauth/token-source.ts'
import { credentialError, CredentialProblem, describeOrigin, readKiroCredentials, type KiroCredentials, type LoadedCredentials } from './credentials.ts'
import { requestTokenRefresh, saveRefreshedToken, type RefreshDeps, type RefreshedToken } from './refresh.ts'

/** Refresh this long before expiry, so a request never starts with a token about to lapse. */
export const REFRESH_MARGIN_MS = 5 * 60_000

export interface KiroSessionDeps extends RefreshDeps {
  log: Logger
  /** The same login on other replicas (REDIS_URL): refreshed once for all, newest token adopted. */
  credential?: SharedCredential
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
    deps.credential?.onUpdate((record) => this.offer(record))
  }

  /** Stops listening to other replicas (the client is closing). */
  close(): void {
    this.deps.credential?.close()
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
    // Another replica refreshed since this file was written: its token is the live one.
    const shared = sharedToken(this.deps.credential?.newest())
    if (shared !== undefined && expiresLater(shared.expiresAt, this.loaded.credentials.expiresAt)) this.take(shared)
    return this.loaded
  }

  /** Another replica published a refreshed token: newer than ours, it replaces ours at once. */
  private offer(record: CredentialRecord): void {
    const shared = sharedToken(record)
    if (shared === undefined) return
    if (this.loaded === undefined) {
      // Not used yet: reading the file compares it with the shared token and keeps the newer.
      try {
        this.latest()
      } catch {
        // No usable file: the first request reports it (or takes the shared token).
      }
      return
    }
    if (!expiresLater(shared.expiresAt, this.loaded.credentials.expiresAt)) return
    this.take(shared)
    this.tokens.replace({ accessToken: shared.accessToken, expiresAt: shared.expiresAt })
  }

  /** Uses a token refreshed elsewhere, and writes it to this replica's file as a refresh would. */
  private take(token: RefreshedToken): void {
    const loaded = this.loaded
    if (loaded === undefined) return
    for (const secret of [token.accessToken, token.refreshToken]) this.deps.log.addSecret(secret)
    this.loaded = { credentials: { ...loaded.credentials, ...token }, origin: loaded.origin }
    this.save(token)
  }

  private async refresh(current: Token): Promise<Token> {
    const loaded = this.latest()
    const held = tokenOf(loaded)
    if (held.accessToken && held.accessToken !== current.accessToken && held.expiresAt !== undefined && held.expiresAt - this.deps.now() > REFRESH_MARGIN_MS) {
      return held
    }

    const source = describeOrigin(loaded.origin)
    const endpoints = { social: this.config.KIRO_REFRESH_URL, idc: this.config.KIRO_REFRESH_IDC_URL }
    const exchange = (from: KiroCredentials) => requestTokenRefresh(from, source, endpoints, this.deps)
    const shared = this.deps.credential
    const refreshed = shared === undefined ? await exchange(loaded.credentials) : await this.refreshShared(shared, loaded.credentials, current, exchange)
    this.deps.log.addSecret(refreshed.accessToken)
    this.deps.log.addSecret(refreshed.refreshToken)
    this.loaded = { credentials: { ...loaded.credentials, ...refreshed }, origin: loaded.origin }
    this.save(refreshed)
    this.deps.log.info(`kiro: refreshed the access token (${source})`)
    return { accessToken: refreshed.accessToken, expiresAt: refreshed.expiresAt }
  }

  /** One refresh across replicas, from the newest shared token when it is newer than ours (a rotated refresh token). */
  private async refreshShared(
    shared: SharedCredential,
    held: KiroCredentials,
    current: Token,
    exchange: (from: KiroCredentials) => Promise<RefreshedToken>,
  ): Promise<RefreshedToken> {
    const record = await shared.refresh({
      fresh: (candidate) => {
        const token = sharedToken(candidate)
        return token !== undefined && token.accessToken !== current.accessToken && token.expiresAt - this.deps.now() > REFRESH_MARGIN_MS
      },
      run: async (newest) => {
        const token = sharedToken(newest)
        const from = token !== undefined && expiresLater(token.expiresAt, held.expiresAt) ? { ...held, ...token } : held
        return { ...(await exchange(from)) }
      },
    })
    const token = sharedToken(record)
    if (token === undefined) throw credentialError(new CredentialProblem('the Kiro token shared by another replica cannot be read'))
    return token
  }

  private save(token: RefreshedToken): void {
    const loaded = this.loaded
    if (loaded?.origin.kind !== 'file') return
    const { credentials } = loaded
    try {
      saveRefreshedToken(loaded.origin.path, token, { ...credentials, authMethod: credentials.authMethod === 'social' ? 'social' : 'IdC' })
      this.diskToken = token.accessToken
    } catch (error) {
      // The new token still works from memory; only the next start would need a refresh.
      this.deps.log.warn(`kiro: could not write the refreshed token to ${loaded.origin.path}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
}

/** A refreshed Kiro token as replicas share it, or undefined when the record is not one. */
function sharedToken(record: CredentialRecord | undefined): RefreshedToken | undefined {
  if (record === undefined) return undefined
  const { accessToken, refreshToken, expiresAt, profileArn } = record
  if (typeof accessToken !== 'string' || accessToken === '' || typeof refreshToken !== 'string' || typeof expiresAt !== 'number') return undefined
  return { accessToken, refreshToken, expiresAt, ...(typeof profileArn === 'string' ? { profileArn } : {}) }
}

function tokenOf(loaded: LoadedCredentials): Token {
  const { accessToken, expiresAt } = loaded.credentials
  return expiresAt === undefined || !accessToken ? { accessToken } : { accessToken, expiresAt }
}
