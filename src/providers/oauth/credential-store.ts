// One OAuth credential of one pool member: loaded from its file (or inline text), handed
// out through a TokenSource, refreshed through the provider's exchange and written back to
// its file. The user's file is only ever replaced by a newer token, never deleted.
import { type GatewayError, unavailable } from '../../errors/gateway-error.ts'
import type { Logger } from '../../log.ts'
import { readCredential, writeCredentialFile, type CredentialProblem, type CredentialSource } from './credential-file.ts'
import { TokenSource, type Token } from './token-source.ts'

export interface StoredCredential {
  /** The JSON object as stored; unknown fields survive a write-back. */
  readonly raw: Record<string, unknown>
  readonly token: Token
  /** Values to mask in logs (access and refresh tokens). */
  readonly secrets: string[]
}

export type DecodeResult<C> = { credential: C } | { problem: CredentialProblem }

export interface CredentialStoreOptions<C extends StoredCredential> {
  source: CredentialSource
  /** A parsed JSON object → the credential, or what is wrong with it. */
  decode(raw: Record<string, unknown>): DecodeResult<C>
  /** The provider's refresh exchange; throws GatewayError. */
  exchange(credential: C): Promise<C>
  /** The message for a credential that cannot be used (names the file and how to fix it). */
  describe(problem: CredentialProblem): string
  now: () => number
  /** Refresh when the access token expires within this many ms. */
  marginMs: number
  log: Logger
}

export class CredentialStore<C extends StoredCredential> {
  readonly tokens: TokenSource
  private credential?: C

  constructor(private readonly options: CredentialStoreOptions<C>) {
    this.tokens = new TokenSource({
      load: async () => this.adopt(this.load()).token,
      refresh: () => this.refresh(),
      now: options.now,
      marginMs: options.marginMs,
    })
  }

  /** The credential behind the latest token (after `tokens.get()`). */
  get current(): C | undefined {
    return this.credential
  }

  private load(): C {
    const read = this.read()
    if ('problem' in read) throw unusable(this.options.describe(read.problem))
    return read.credential
  }

  private read(): DecodeResult<C> {
    const read = readCredential(this.options.source)
    return read.ok ? this.options.decode(read.raw) : { problem: read.problem }
  }

  private async refresh(): Promise<Token> {
    const onDisk = this.fromFile()
    const held = this.credential
    // The file may have changed under us (the user logged in again, or the CLI refreshed
    // it): a different, still-valid token there is used as is.
    if (onDisk && held && onDisk.token.accessToken !== held.token.accessToken && !this.isNear(onDisk.token)) {
      return this.adopt(onDisk).token
    }
    const next = this.adopt(await this.options.exchange(onDisk ?? held ?? this.load()))
    if (this.options.source.kind === 'file') this.persist(this.options.source.path, next)
    return next.token
  }

  /** The file's current credential; undefined for inline sources or when the file is unusable now. */
  private fromFile(): C | undefined {
    if (this.options.source.kind !== 'file') return undefined
    const read = this.read()
    return 'credential' in read ? read.credential : undefined
  }

  private isNear(token: Token): boolean {
    return token.expiresAt === undefined || token.expiresAt - this.options.now() <= this.options.marginMs
  }

  private adopt(credential: C): C {
    for (const secret of credential.secrets) this.options.log.addSecret(secret)
    this.credential = credential
    return credential
  }

  private persist(path: string, credential: C): void {
    try {
      writeCredentialFile(path, credential.raw)
    } catch (error) {
      // The new token still works from memory; only the next restart loses it.
      const message = error instanceof Error ? error.message : String(error)
      this.options.log.warn(`could not write refreshed credentials to ${path}: ${message}`)
    }
  }
}

function unusable(message: string): GatewayError {
  return unavailable(message)
}

/** What is wrong with a credential source right now, or undefined when it is usable (for `notConfigured`). */
export function credentialProblem<C>(source: CredentialSource, decode: (raw: Record<string, unknown>) => DecodeResult<C>): CredentialProblem | undefined {
  const read = readCredential(source)
  if (!read.ok) return read.problem
  const decoded = decode(read.raw)
  return 'problem' in decoded ? decoded.problem : undefined
}
