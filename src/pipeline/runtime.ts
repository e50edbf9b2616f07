// Everything a request needs, built once per gateway from its config (no globals, so tests
// can run many gateways in one process).
import type { Drain } from './drain.ts'
import type { ClientKeys } from '../keys/index.ts'
import type { AppConfig } from '../config/schema.ts'
import type { Dialect, DialectCodec } from '../dialects/types.ts'
import type { Logger } from '../log.ts'
import type { Pools } from '../pools/types.ts'
import type { ProviderDefinition, ProviderId } from '../providers/types.ts'
import type { ModelRoute, Target } from '../routing/model-routes.ts'
import type { SystemPromptMode } from '../chat/system-prompt.ts'
import type { PromptLog } from './prompt-log.ts'
import type { Replicas } from '../replicas/index.ts'
import type { Observer } from '../observe/observer.ts'

export interface Runtime {
  config: AppConfig
  pools: Pools
  providers: Readonly<Record<ProviderId, ProviderDefinition>>
  codecs: Readonly<Record<Dialect, DialectCodec>>
  log: Logger
  /** Metrics, access log, traces and the dashboard's window. */
  observer: Observer
  now: () => number
  /** Waits between retries of the same member; injectable so tests never sleep. */
  sleep: (ms: number) => Promise<void>
  /** CLI/config default provider (the first of MODEL_PROVIDER). */
  defaultProvider: ProviderId
  /** MODEL_ROUTES, compiled. */
  routes: readonly ModelRoute[]
  /** FALLBACK_CHAIN: what answers when a provider has no member left to try. */
  fallbackChain: Readonly<Partial<Record<ProviderId, readonly Target[]>>>
  systemPrompt?: { text: string; mode: SystemPromptMode }
  promptLog?: PromptLog
  /** State shared with other replicas through Redis (REDIS_URL). */
  replicas?: Replicas
  /** Graceful shutdown: refuses new work, lets streams finish, then cuts them with an error event. */
  drain: Drain
  /** Client keys with limits and usage (CLIENT_KEYS_FILE_PATH). */
  keys?: ClientKeys
}

/**
 * Whether same-dialect requests must still go through the canonical shape: a system
 * prompt file or prompt logging need to read and change the request and answer.
 */
export function rewritesTraffic(runtime: Runtime): boolean {
  return runtime.systemPrompt !== undefined || runtime.promptLog !== undefined
}
