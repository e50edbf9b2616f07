// Provider pools: member selection (weighted least latency), breakers, cooldowns, health
// checks, token refresh, state persistence and hot reload of provider_pools.json.
export { createPools, type PoolsOptions, type PoolsRuntime } from './create-pools.ts'
export { loadPoolsFile, parsePoolsFile, PoolsError, PoolsFileError, type PoolsFile, type ProviderDefinitions } from './pools-file.ts'
export type { MemberSpec } from './member-spec.ts'
export type { ProbeOutcome } from './health.ts'
export { cronPatternProblem, systemScheduler, type Cancel, type Scheduler } from './scheduler.ts'
export { statePathFor } from './state-file.ts'
export type { Lease, MemberSnapshot, PickOptions, PickResult, PoolMember, Pools } from './types.ts'
