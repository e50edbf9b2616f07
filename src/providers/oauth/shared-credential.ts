// One pool member's OAuth credential as the replicas of a gateway share it (REDIS_URL):
// refreshed once for all of them, and every replica switches to the refreshed token at once.
// Where refresh tokens are single-use, a second refresh with the old one would lock the
// member out, so the refresh itself is what is coordinated. The transport lives in
// src/replicas/; without REDIS_URL there is no SharedCredential and nothing changes.

/** The credential as its provider stores it (the JSON of its file, or the fields a refresh renews). */
export type CredentialRecord = Record<string, unknown>

export interface SharedRefresh {
  /** Whether a record another replica produced can be used as is (a different token, not near expiry). */
  fresh: (record: CredentialRecord) => boolean
  /** The provider's refresh exchange, from `base` (the newest shared record) when there is one. */
  run: (base: CredentialRecord | undefined) => Promise<CredentialRecord>
}

export interface SharedCredential {
  /** The newest record known to this replica from the others; never waits. */
  newest(): CredentialRecord | undefined
  /** Another replica published a newer record. */
  onUpdate(listener: (record: CredentialRecord) => void): void
  /**
   * Refreshes once across replicas: under a lock that expires (a crashed holder cannot block
   * the others). While another replica holds it, waits for the record it publishes. When
   * Redis cannot be reached, refreshes alone. Resolves with the record to use.
   */
  refresh(refresh: SharedRefresh): Promise<CredentialRecord>
  close(): void
}

/** Hands out the shared credential of a pool member. */
export interface CredentialSharing {
  credential(provider: string, uuid: string): SharedCredential
}

/** The later of two expiry times wins; unknown expiry counts as oldest. */
export function expiresLater(a: number | undefined, b: number | undefined): boolean {
  return (a ?? -1) > (b ?? -1)
}
