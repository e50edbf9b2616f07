// The fake Google account's tokens: issues opaque access/refresh tokens, expires and revokes
// them on request, and counts refresh calls.

export class GoogleTokenAuthority {
  /** Refresh-token grants received (accepted or not). */
  refreshCalls = 0
  private issued = 0
  private readonly live = new Set<string>()
  private readonly refreshTokens = new Map<string, 'live' | 'revoked'>()

  /** A token pair as an interactive Gemini CLI login would store it. */
  login(): { accessToken: string; refreshToken: string } {
    const refreshToken = `fake-rt-${++this.issued}`
    this.refreshTokens.set(refreshToken, 'live')
    return { accessToken: this.issueAccessToken(), refreshToken }
  }

  issueAccessToken(): string {
    const token = `fake-at-${++this.issued}`
    this.live.add(token)
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
