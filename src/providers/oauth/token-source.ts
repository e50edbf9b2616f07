// An access token that refreshes itself: early (within a margin of expiry), once after the
// upstream rejects it, and only once at a time however many requests wait for it.

export interface Token {
  accessToken: string
  /** Epoch ms; undefined when unknown (treated as expired). */
  expiresAt?: number
}

export interface TokenSourceOptions {
  /** Loads the current token (from the credential file). */
  load: () => Promise<Token>
  /** Obtains a new token from the refresh endpoint; throws GatewayError on failure. */
  refresh: (current: Token) => Promise<Token>
  now: () => number
  /** Refresh when the token expires within this many ms. */
  marginMs: number
}

export class TokenSource {
  private current?: Token
  private inflight?: Promise<Token>

  constructor(private readonly options: TokenSourceOptions) {}

  /** A token valid for at least the margin, refreshing first when needed. */
  async get(): Promise<Token> {
    const token = this.current ?? (this.current = await this.options.load())
    if (this.isNear(token, this.options.marginMs)) return this.refresh()
    return token
  }

  /** Forces a refresh (after the upstream said 401); concurrent callers share one refresh. */
  async invalidate(rejected: Token): Promise<Token> {
    if (this.current && this.current.accessToken !== rejected.accessToken) return this.current
    return this.refresh()
  }

  /** A token obtained elsewhere (another replica refreshed it): handed out from now on. */
  replace(token: Token): void {
    this.current = token
  }

  /** Background refresh: only when expiry is within `withinMs`. */
  async refreshIfNear(withinMs: number): Promise<void> {
    const token = this.current ?? (this.current = await this.options.load())
    if (this.isNear(token, withinMs)) await this.refresh()
  }

  private isNear(token: Token, withinMs: number): boolean {
    return token.expiresAt === undefined || token.expiresAt - this.options.now() <= withinMs
  }

  private refresh(): Promise<Token> {
    this.inflight ??= (async () => {
      try {
        const base = this.current ?? (await this.options.load())
        this.current = await this.options.refresh(base)
        return this.current
      } finally {
        this.inflight = undefined
      }
    })()
    return this.inflight
  }
}
