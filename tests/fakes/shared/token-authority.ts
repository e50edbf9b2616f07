// A fake OAuth account's tokens: issues opaque access/refresh tokens (`fake-at-N`,
// `fake-rt-N`), expires and revokes them on request, and counts refresh calls.

export class TokenAuthority {
  /** Refresh-token grants received (accepted or not). */
  refreshCalls = 0
  private issued = 0
  private readonly live = new Set<string>()
  private readonly refreshTokens = new Map<string, 'live' | 'revoked'>()

  /** A token pair as an interactive CLI login would store it. */
  login(): { accessToken: string; refreshToken: string } {
    return { accessToken: this.issueAccessToken(), refreshToken: this.issueRefreshToken() }
  }

  issueAccessToken(): string {
    const token = `fake-at-${++this.issued}`
    this.live.add(token)
    return token
  }

  /** A new refresh token (for providers that rotate them). */
  issueRefreshToken(): string {
    const token = `fake-rt-${++this.issued}`
    this.refreshTokens.set(token, 'live')
    return token
  }

  isLive(accessToken: string): boolean {
    return this.live.has(accessToken)
  }

  /** The access token stops working at once (as if its hour were up). */
  expire(accessToken: string): void {
    this.live.delete(accessToken)
  }

  revoke(refreshToken: string): void {
    this.refreshTokens.set(refreshToken, 'revoked')
  }

  refreshTokenState(refreshToken: string): 'live' | 'revoked' | 'unknown' {
    return this.refreshTokens.get(refreshToken) ?? 'unknown'
  }
}
