// What a pool member is before it runs: its identity, its own config keys and the
// effective config a client is built from. Comes from the pools file or the top-level config.
import type { AppConfig, MemberConfig } from '../config/schema.ts'
import type { ProviderId } from '../providers/types.ts'

export interface MemberSpec {
  provider: ProviderId
  /** Unique across the pools file; `default` for the top-level credentials. */
  uuid: string
  /** The keys the member sets itself (paths already resolved); empty for `default`. */
  keys: Partial<AppConfig>
  /** The top-level config with the member's keys applied. */
  config: MemberConfig
  weight: number
  checkModelName?: string
  /** Most requests in flight at once; unlimited when absent. */
  maxConcurrent?: number
  /** false: never probed, judged by real traffic only. */
  checkHealth: boolean
  disabled: boolean
}

export const DEFAULT_MEMBER_UUID = 'default'

/** The member made of the top-level credentials, for a provider without pool entries. */
export function defaultMemberSpec(provider: ProviderId, config: AppConfig): MemberSpec {
  return { provider, uuid: DEFAULT_MEMBER_UUID, keys: {}, config, weight: 1, checkHealth: true, disabled: false }
}

/** Identifies the member's client-relevant config: same fingerprint, same client and state. */
export function specFingerprint(spec: MemberSpec): string {
  const keys = Object.entries(spec.keys).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return JSON.stringify([spec.provider, keys])
}
