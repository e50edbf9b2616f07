// Builds the providers' member lists from the pools file (or the top-level config), reusing
// the entries — state and client — of members whose uuid and config did not change.
// All-or-nothing: if any client cannot be created, nothing changes.
import type { AppConfig } from '../config/schema.ts'
import type { CredentialSharing } from '../providers/oauth/shared-credential.ts'
import type { ProviderClient, ProviderDeps, ProviderId } from '../providers/types.ts'
import { proxyFor, withProxy } from '../upstream/proxy.ts'
import { applySpec, newEntry, retireClient, type MemberEntry } from './member-entry.ts'
import { defaultMemberSpec, specFingerprint, type MemberSpec } from './member-spec.ts'
import { PoolsError, type ProviderDefinitions } from './pools-file.ts'

export interface ProviderPool {
  provider: ProviderId
  /** In file order; disabled members included. */
  entries: MemberEntry[]
  /** Why the provider cannot serve (the definition's message), when it has no members. */
  notConfigured?: string
}

export type PoolMap = Map<ProviderId, ProviderPool>

export interface BuildInput {
  /** Members from the pools file; providers without any get a `default` member. */
  specs: readonly MemberSpec[]
  providers: Iterable<ProviderId>
  config: AppConfig
  definitions: ProviderDefinitions
  deps: ProviderDeps
  previous: PoolMap
  /** OAuth credentials shared with other replicas (REDIS_URL), handed to each member's client. */
  credentials?: CredentialSharing
}

interface Planned {
  spec: MemberSpec
  fingerprint: string
  reuse: MemberEntry | undefined
  client: ProviderClient | undefined
}

/** The new pools; entries of the previous pools that are gone get their clients retired. */
export function buildPools(input: BuildInput): PoolMap {
  const providers = new Set<ProviderId>([...input.providers, ...input.specs.map((s) => s.provider), ...input.previous.keys()])
  const created: ProviderClient[] = []
  const plans = new Map<ProviderId, { planned: Planned[]; notConfigured?: string }>()
  try {
    for (const provider of providers) plans.set(provider, planProvider(provider, input, created))
  } catch (error) {
    for (const client of created) client.close?.()
    throw error
  }
  const next: PoolMap = new Map()
  for (const [provider, plan] of plans) {
    const entries = plan.planned.map(({ spec, fingerprint, reuse, client }) => {
      const entry = reuse ?? newEntry(spec, fingerprint)
      applySpec(entry, spec, client)
      return entry
    })
    next.set(provider, plan.notConfigured === undefined ? { provider, entries } : { provider, entries, notConfigured: plan.notConfigured })
  }
  const kept = new Set([...next.values()].flatMap((pool) => pool.entries))
  for (const pool of input.previous.values()) for (const entry of pool.entries) if (!kept.has(entry)) retireClient(entry)
  return next
}

function planProvider(provider: ProviderId, input: BuildInput, created: ProviderClient[]): { planned: Planned[]; notConfigured?: string } {
  const definition = input.definitions[provider]
  if (definition === undefined) return { planned: [], notConfigured: `provider ${provider} is not available in this build` }
  let specs = input.specs.filter((spec) => spec.provider === provider)
  if (specs.length === 0) {
    const problem = definition.notConfigured(input.config)
    if (problem !== undefined) return { planned: [], notConfigured: problem }
    specs = [defaultMemberSpec(provider, input.config)]
  }
  const previous = input.previous.get(provider)?.entries ?? []
  const planned = specs.map((spec): Planned => {
    const fingerprint = specFingerprint(spec)
    const reuse = previous.find((entry) => entry.uuid === spec.uuid && entry.fingerprint === fingerprint)
    const needsClient = !spec.disabled && reuse?.member === undefined
    return { spec, fingerprint, reuse, client: needsClient ? createClient(spec, input, created) : undefined }
  })
  return { planned }
}

function createClient(spec: MemberSpec, input: BuildInput, created: ProviderClient[]): ProviderClient {
  const definition = input.definitions[spec.provider]
  try {
    if (definition === undefined) throw new Error('no provider definition')
    const proxy = proxyFor(spec.provider, spec.keys, input.config)
    const credential = input.credentials?.credential(spec.provider, spec.uuid)
    const client = definition.create(spec.config, {
      ...input.deps,
      fetch: withProxy(input.deps.fetch, proxy),
      ...(credential === undefined ? {} : { credential }),
    })
    created.push(client)
    return client
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new PoolsError(`${spec.provider} member "${spec.uuid}" cannot be set up: ${input.deps.log.redact(message)}`)
  }
}

/** The member entries of every provider, for passes over all members. */
export function allEntries(pools: PoolMap): MemberEntry[] {
  return [...pools.values()].flatMap((pool) => pool.entries)
}
