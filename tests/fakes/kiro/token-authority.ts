// The fake Kiro's token authority: issues opaque tokens, remembers their expiry and login
// kind, lets tests expire or revoke them, rotates refresh tokens when asked, and counts
// refresh calls (docs/protocols.md#fakes).

export type LoginKind = 'social' | 'idc'

interface AccessRecord {
  kind: LoginKind
  expiresAt: number
}

interface RefreshRecord {
  kind: LoginKind
  revoked: boolean
  clientId?: string
}

export interface Login {
  accessToken: string
  refreshToken: string
}

export type RefreshOutcome =
  | { ok: true; accessToken: string; refreshToken: string; expiresIn: number }
  | { ok: false; reason: 'unknown' | 'revoked' | 'wrong_client' }

export class TokenAuthority {
  private counter = 0
  private readonly access = new Map<string, AccessRecord>()
  private readonly refresh = new Map<string, RefreshRecord>()
  private readonly clients = new Map<string, string>()
  socialRefreshes = 0
  idcRefreshes = 0

  constructor(
    private readonly now: () => number,
    /** Lifetime of issued access tokens, seconds. */
    public expiresIn = 3600,
    /** Issue a new refresh token on each refresh. */
    public rotate = false,
  ) {}

  get refreshCalls(): number {
    return this.socialRefreshes + this.idcRefreshes
  }

  /** Registers an OIDC client (IdC logins refresh with it). */
  registerClient(clientId: string, clientSecret: string): void {
    this.clients.set(clientId, clientSecret)
  }

  /** A login as the Kiro IDE would have written it; `expiresInS` may be negative (already expired). */
  login(kind: LoginKind, options: { clientId?: string; expiresInS?: number } = {}): Login {
    const refreshToken = this.newRefreshToken(kind, options.clientId)
    return { accessToken: this.newAccessToken(kind, options.expiresInS ?? this.expiresIn), refreshToken }
  }

  expire(accessToken: string): void {
    const record = this.access.get(accessToken)
    if (record) record.expiresAt = this.now() - 1
  }

  revoke(refreshToken: string): void {
    const record = this.refresh.get(refreshToken)
    if (record) record.revoked = true
  }

  /** The login kind of a valid access token, or why it is not valid. */
  check(accessToken: string): { ok: true; kind: LoginKind } | { ok: false; reason: 'unknown' | 'expired' } {
    const record = this.access.get(accessToken)
    if (!record) return { ok: false, reason: 'unknown' }
    if (record.expiresAt <= this.now()) return { ok: false, reason: 'expired' }
    return { ok: true, kind: record.kind }
  }

  refreshSocial(refreshToken: string): RefreshOutcome {
    this.socialRefreshes++
    return this.exchange(refreshToken, 'social')
  }

  refreshIdc(refreshToken: string, clientId: string, clientSecret: string): RefreshOutcome {
    this.idcRefreshes++
    if (this.clients.get(clientId) !== clientSecret) return { ok: false, reason: 'wrong_client' }
    const record = this.refresh.get(refreshToken)
    if (record && record.clientId !== undefined && record.clientId !== clientId) return { ok: false, reason: 'wrong_client' }
    return this.exchange(refreshToken, 'idc')
  }

  private exchange(refreshToken: string, kind: LoginKind): RefreshOutcome {
    const record = this.refresh.get(refreshToken)
    if (!record || record.kind !== kind) return { ok: false, reason: 'unknown' }
    if (record.revoked) return { ok: false, reason: 'revoked' }
    let next = refreshToken
    if (this.rotate) {
      record.revoked = true
      next = this.newRefreshToken(kind, record.clientId)
    }
    return { ok: true, accessToken: this.newAccessToken(kind, this.expiresIn), refreshToken: next, expiresIn: this.expiresIn }
  }

  private newAccessToken(kind: LoginKind, lifetimeS: number): string {
    const token = `fake-at-${++this.counter}`
    this.access.set(token, { kind, expiresAt: this.now() + lifetimeS * 1000 })
    return token
  }

  private newRefreshToken(kind: LoginKind, clientId: string | undefined): string {
    const token = `fake-rt-${++this.counter}`
    this.refresh.set(token, { kind, revoked: false, ...(clientId === undefined ? {} : { clientId }) })
    return token
  }
}
