// Builds a gateway from a loaded config: logger, pools, codecs, providers and the HTTP app.
// Nothing here is global, so one process (a test) can run many gateways.
import { readBoundedText, SETTINGS_FILE_MAX_BYTES } from './fs/read-bounded.ts'
import { createApp } from './app.ts'
import { ConfigError, type LoadedConfig } from './config/load.ts'
import { registerSensitive } from './config/sensitive.ts'
import { CODECS } from './dialects/index.ts'
import { createLogger, type Logger } from './log.ts'
import { createPromptLog } from './pipeline/prompt-log.ts'
import type { Runtime } from './pipeline/runtime.ts'
import { createPools } from './pools/index.ts'
import { Observer } from './observe/observer.ts'
import { Drain } from './pipeline/drain.ts'
import { ClientKeys } from './keys/index.ts'
import type { KeyCounters } from './keys/counters.ts'
import { KeysFileError } from './keys/keys-file.ts'
import { systemScheduler } from './pools/scheduler.ts'
import type { Exchange } from './observe/exchange.ts'
import { dirname, join } from 'node:path'
import type { OtelEnv } from './observe/tracing.ts'
import { PROVIDERS } from './providers/registry.ts'
import { createReplicas } from './replicas/index.ts'
import type { ProviderDefinition, ProviderId } from './providers/types.ts'
import { compileFallbackChain } from './routing/fallback-chain.ts'
import { compileModelRoutes } from './routing/model-routes.ts'
import packageJson from '../package.json' with { type: 'json' }

export const VERSION: string = packageJson.version

export interface GatewayOptions {
  log?: Logger
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  fetch?: typeof fetch
  random?: () => number
  /** Replace provider definitions (tests). */
  providers?: Partial<Record<ProviderId, ProviderDefinition>>
  /** The standard OpenTelemetry environment variables (the CLI passes the process's); tracing is off without them. */
  otelEnv?: OtelEnv
}

export function createGateway(loaded: LoadedConfig, options: GatewayOptions = {}) {
  const { config } = loaded
  const log = options.log ?? createLogger({ format: config.LOG_FORMAT })
  registerSensitive(log, config)
  const now = options.now ?? Date.now
  const providers = { ...PROVIDERS, ...options.providers }
  // Only with REDIS_URL: without it no Redis code runs.
  const replicas = config.REDIS_URL === undefined ? undefined : createReplicas({ url: config.REDIS_URL, prefix: config.REDIS_PREFIX, log, now })
  const pools = createPools({
    config,
    definitions: providers,
    deps: { log, now, fetch: options.fetch ?? fetch },
    providers: loaded.providers,
    ...(config.PROVIDER_POOLS_FILE_PATH ? { poolsFilePath: config.PROVIDER_POOLS_FILE_PATH } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(replicas === undefined ? {} : { sharing: replicas.pools, credentials: replicas.credentials }),
  })
  replicas?.start()
  // Only with CLIENT_KEYS_FILE_PATH: without it the master key is the only key and nothing is recorded.
  const keys = config.CLIENT_KEYS_FILE_PATH === undefined ? undefined : createClientKeys(loaded, log, now, replicas?.counters)
  keys?.start()
  const runtime: Runtime = {
    config,
    pools,
    providers,
    codecs: CODECS,
    log,
    ...(replicas === undefined ? {} : { replicas }),
    drain: new Drain(),
    ...(keys === undefined ? {} : { keys }),
    observer: new Observer({
      pools,
      log,
      now,
      env: options.otelEnv ?? {},
      version: VERSION,
      accessLog: config.LOG_ACCESS,
      ...(keys === undefined ? {} : { onFinish: (exchange: Exchange) => exchange.dialect !== undefined && keys.finished(exchange) }),
      ...(replicas === undefined ? {} : { sharing: replicas.status }),
    }),
    now,
    sleep: options.sleep ?? ((ms) => Bun.sleep(ms)),
    defaultProvider: loaded.providers[0] ?? 'local-echo',
    routes: compileModelRoutes(config.MODEL_ROUTES),
    fallbackChain: compileFallbackChain(config.FALLBACK_CHAIN),
    ...(config.SYSTEM_PROMPT_FILE_PATH ? { systemPrompt: { text: readSystemPrompt(config.SYSTEM_PROMPT_FILE_PATH), mode: config.SYSTEM_PROMPT_MODE } } : {}),
    ...(config.PROMPT_LOG_MODE === 'none' ? {} : { promptLog: createPromptLog(config.PROMPT_LOG_MODE, config.PROMPT_LOG_BASE_NAME, log, now) }),
  }
  const app = createApp(runtime, VERSION)
  return { app, runtime, pools, log, observer: runtime.observer, replicas, keys }
}

function createClientKeys(loaded: LoadedConfig, log: Logger, now: () => number, counters?: KeyCounters): ClientKeys {
  const path = loaded.config.CLIENT_KEYS_FILE_PATH as string
  const usageDbPath = loaded.config.USAGE_DB_PATH ?? join(loaded.configFile ? dirname(loaded.configFile) : process.cwd(), 'usage.db')
  try {
    return new ClientKeys({ path, usageDbPath, log, now, scheduler: systemScheduler(log), ...(counters ? { counters } : {}) })
  } catch (error) {
    if (error instanceof KeysFileError) throw new ConfigError(error.message)
    throw new ConfigError(`USAGE_DB_PATH: cannot open ${usageDbPath}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

export type Gateway = ReturnType<typeof createGateway>

function readSystemPrompt(path: string): string {
  try {
    return readBoundedText(path, SETTINGS_FILE_MAX_BYTES)
  } catch (error) {
    throw new ConfigError(`SYSTEM_PROMPT_FILE_PATH: cannot read ${path}: ${(error as Error).message}`)
  }
}
