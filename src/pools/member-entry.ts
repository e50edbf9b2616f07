// A pool member at run time: its spec, its client (while enabled) and its state. Clients
// that leave (member removed, disabled or reconfigured) close only once the requests
// still running on them have ended.
import type { ProviderClient, ProviderId } from '../providers/types.ts'
import type { MemberSpec } from './member-spec.ts'
import { newMemberState, type MemberState } from './member-state.ts'
import type { PoolMember } from './types.ts'

export interface MemberEntry {
  readonly provider: ProviderId
  readonly uuid: string
  readonly fingerprint: string
  spec: MemberSpec
  /** What leases hand out; undefined while the member is disabled or removed. */
  member: PoolMember | undefined
  readonly state: MemberState
  /** Clients waiting for the in-flight requests to end before they close. */
  closing: ProviderClient[]
}

export function newEntry(spec: MemberSpec, fingerprint: string): MemberEntry {
  return { provider: spec.provider, uuid: spec.uuid, fingerprint, spec, member: undefined, state: newMemberState(), closing: [] }
}

/** Applies a (possibly changed) spec; `client` is a fresh client when the member needs one. */
export function applySpec(entry: MemberEntry, spec: MemberSpec, client: ProviderClient | undefined): void {
  entry.spec = spec
  if (spec.disabled) {
    retireClient(entry)
    return
  }
  if (entry.member === undefined) {
    if (client === undefined) throw new Error(`member ${spec.uuid} has no client`)
    entry.member = { uuid: spec.uuid, provider: spec.provider, config: spec.config, client }
  }
  entry.member.checkModelName = spec.checkModelName
}

/** Takes the client out of service; it closes when no request runs on it any more. */
export function retireClient(entry: MemberEntry): void {
  if (entry.member === undefined) return
  entry.closing.push(entry.member.client)
  entry.member = undefined
  closeRetiredIfIdle(entry)
}

export function closeRetiredIfIdle(entry: MemberEntry): void {
  if (entry.state.inFlight > 0 || entry.closing.length === 0) return
  const clients = entry.closing
  entry.closing = []
  for (const client of clients) client.close?.()
}
