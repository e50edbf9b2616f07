// One OAuth credential of one pool member: loaded from its file (or inline text), handed
// out through a TokenSource, refreshed through the provider's exchange and written back to
// its file. The user's file is only ever replaced by a newer token, never deleted.
import { type GatewayError, unavailable } from '../../errors/gateway-error.ts'
import type { Logger } from '../../log.ts'
import { readCredential, writeCredentialFile, type CredentialProblem, type CredentialSource } from './credential-file.ts'
import { type CredentialRecord, expiresLater, type SharedCredential } from './shared-credential.ts'
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
  /** The same credential on other replicas (REDIS_URL): refreshed once for all, newest token adopted. */
  shared?: SharedCredential
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
    options.shared?.onUpdate((record) => this.offer(record))
  }

  /** Stops listening to other replicas (the member's client is closing). */
  close(): void {
    this.options.shared?.close()
  }

  /** The credential behind the latest token (after `tokens.get()`). */
  get current(): C | undefined {
    return this.credential
  }

  /** The file's credential, or the shared one when another replica has refreshed since the file was written. */
  private load(): C {
    const read = this.read()
    const shared = this.sharedNewest()
    if ('problem' in read) {
      if (shared !== undefined) return this.takeShared(shared)
      throw unusable(this.options.describe(read.problem))
    }
    return shared !== undefined && expiresLater(shared.token.expiresAt, read.credential.token.expiresAt) ? this.takeShared(shared) : read.credential
  }

  private sharedNewest(): C | undefined {
    const record = this.options.shared?.newest()
    return record === undefined ? undefined : this.decodeRecord(record)
  }

  private decodeRecord(record: CredentialRecord): C | undefined {
    const decoded = this.options.decode(record)
    return 'credential' in decoded ? decoded.credential : undefined
  }

  /** A credential from another replica: used, and written to this replica's file as a refresh would be. */
  private takeShared(credential: C): C {
    if (this.options.source.kind === 'file') this.persist(this.options.source.path, credential)
    return credential
  }

  /** Another replica published a token: newer than ours, it replaces ours at once. */
  private offer(record: CredentialRecord): void {
    const credential = this.decodeRecord(record)
    if (credential === undefined) return
    // Before first use, the file is what we hold: a newer login there is kept, never overwritten.
    const mine = this.credential ?? this.fromFile()
    if (mine !== undefined && !expiresLater(credential.token.expiresAt, mine.token.expiresAt)) return
    this.tokens.replace(this.adopt(this.takeShared(credential)).token)
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
    const base = onDisk ?? held ?? this.load()
    const next = this.adopt(this.options.shared === undefined ? await this.options.exchange(base) : await this.refreshShared(this.options.shared, base))
    if (this.options.source.kind === 'file') this.persist(this.options.source.path, next)
    return next.token
  }

  /** One refresh across replicas; from the newest shared record when it is newer than ours (a rotated refresh token). */
  private async refreshShared(shared: SharedCredential, base: C): Promise<C> {
    const replaced = this.credential?.token.accessToken ?? base.token.accessToken
    const record = await shared.refresh({
      fresh: (candidate) => {
        const credential = this.decodeRecord(candidate)
        return credential !== undefined && credential.token.accessToken !== replaced && !this.isNear(credential.token)
      },
      run: async (newest) => {
        const from = newest === undefined ? undefined : this.decodeRecord(newest)
        const start = from !== undefined && expiresLater(from.token.expiresAt, base.token.expiresAt) ? from : base
        return (await this.options.exchange(start)).raw
      },
    })
    const credential = this.decodeRecord(record)
    if (credential === undefined) throw unusable('the credential shared by another replica cannot be read')
    return credential
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
