// Builds the one validated AppConfig: built-in defaults < config.json < CLI flags, merged
// key by key. A user mistake becomes a ConfigError with one line naming the key, the value
// and what is allowed (the CLI prints it and exits 2).
import { Value } from '@sinclair/typebox/value'
import { Cron } from 'croner'
import { existsSync } from 'node:fs'
import { FileReadError, readBoundedText, SETTINGS_FILE_MAX_BYTES } from '../fs/read-bounded.ts'
import { homedir } from 'node:os'
import { dirname, isAbsolute, resolve } from 'node:path'
import { expandHome } from '../fs/expand-home.ts'
import { isProviderId, PROVIDER_IDS, type ProviderId } from '../providers/types.ts'
import { parseJsonc } from './jsonc.ts'
import { CONFIG_KEYS, KEYS, keySpec, type AppConfig, type ConfigKey } from './schema.ts'
import { isRecord } from '../json/read.ts'

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export interface LoadedConfig {
  config: AppConfig
  /** Providers listed in MODEL_PROVIDER, first = default. */
  providers: ProviderId[]
  /** True when REQUIRED_API_KEY was generated (the banner prints it once). */
  generatedKey: boolean
  /** config.json keys we do not know (AIClient-2-API has more); reported as warnings. */
  unknownKeys: string[]
  /** The config file that was read, if any. */
  configFile?: string
}

export interface LoadOptions {
  /** Values from CLI flags, already keyed by config key (strings as typed). */
  flags: Partial<Record<ConfigKey, string>>
  /** `--config PATH`; when absent `./config.json` is read if it exists. */
  configPath?: string
  cwd?: string
  home?: string
}

export function loadConfig(options: LoadOptions): LoadedConfig {
  const cwd = options.cwd ?? process.cwd()
  const home = options.home ?? homedir()
  const merged: Record<string, unknown> = {}
  for (const key of CONFIG_KEYS) {
    const spec = keySpec(key)
    if (spec.default !== undefined) merged[key] = spec.path ? expandPath(String(spec.default), cwd, home) : spec.default
  }

  const file = readConfigFile(options.configPath, cwd)
  const unknownKeys: string[] = []
  if (file) {
    for (const [key, raw] of Object.entries(file.values)) {
      if (!(key in KEYS)) {
        unknownKeys.push(key)
        continue
      }
      // AIClient-2-API configs write "" for keys they leave unset; an empty client key is refused below.
      if (raw === null || (raw === '' && key !== 'REQUIRED_API_KEY')) continue
      merged[key] = coerce(key as ConfigKey, raw, `config key ${key}`, dirname(file.path), home)
    }
  }
  for (const [key, raw] of Object.entries(options.flags)) {
    if (raw === undefined) continue
    merged[key] = coerce(key as ConfigKey, raw, `--${keySpec(key as ConfigKey).flag}`, cwd, home)
  }

  let generatedKey = false
  if (merged.REQUIRED_API_KEY === undefined) {
    merged.REQUIRED_API_KEY = crypto.randomUUID().replaceAll('-', '')
    generatedKey = true
  }
  checkClientKey(String(merged.REQUIRED_API_KEY))

  const providers = parseProviders(String(merged.MODEL_PROVIDER))
  merged.MODEL_PROVIDER = providers.join(',')
  checkCron(String(merged.HEALTH_CHECK_CRON))
  return {
    config: merged as AppConfig,
    providers,
    generatedKey,
    unknownKeys,
    ...(file ? { configFile: file.path } : {}),
  }
}

function readConfigFile(explicit: string | undefined, cwd: string): { path: string; values: Record<string, unknown> } | undefined {
  const path = resolve(cwd, explicit ?? 'config.json')
  if (!existsSync(path)) {
    if (explicit !== undefined) throw new ConfigError(`--config: file ${path} does not exist`)
    return undefined
  }
  let parsed: unknown
  try {
    parsed = parseJsonc(readBoundedText(path, SETTINGS_FILE_MAX_BYTES))
  } catch (error) {
    if (error instanceof FileReadError) throw new ConfigError(`${path}: cannot read it: ${error.message}`)
    throw new ConfigError(`${path}: not valid JSON, ${(error as Error).message}`)
  }
  if (!isRecord(parsed)) throw new ConfigError(`${path}: must hold a JSON object of config keys`)
  return { path, values: parsed }
}

/** Turns a flag string or JSON value into the key's type, or throws a one-line ConfigError. */
function coerce(key: ConfigKey, raw: unknown, source: string, baseDir: string, home: string): unknown {
  const spec = keySpec(key)
  const type = (spec.schema as { type?: string }).type
  let value: unknown = raw
  if (type === 'integer' && typeof raw === 'string' && /^-?\d+$/.test(raw.trim())) value = Number(raw.trim())
  if (spec.json && typeof raw === 'string') value = parseJsonFlag(raw, source, key)
  if (type === 'array' && typeof raw === 'string') value = commaList(raw)
  if (type === 'boolean' && typeof raw === 'string') {
    const lowered = raw.trim().toLowerCase()
    if (lowered === 'true') value = true
    else if (lowered === 'false') value = false
  }
  const entry = invalidEntry(key, value)
  if (entry) throw new ConfigError(`${source} (${key}): ${entry}`)
  if (!Value.Check(spec.schema, value)) {
    throw new ConfigError(`${source} (${key}): invalid value ${JSON.stringify(raw)}; allowed: ${describeAllowed(key)}`)
  }
  return spec.path ? expandPath(String(value), baseDir, home) : value
}

function parseJsonFlag(raw: string, source: string, key: ConfigKey): unknown {
  try {
    return parseJsonc(raw)
  } catch (error) {
    throw new ConfigError(`${source} (${key}): not valid JSON (${(error as Error).message}); allowed: ${describeAllowed(key)}`)
  }
}

const commaList = (raw: string) =>
  raw
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean)

const TARGET_TEXT = `a provider id (${PROVIDER_IDS.join(', ')}) or {"provider": id, "model": name}`

/** What is wrong with a routing value, in words naming the entry; undefined when nothing specific is. */
function invalidEntry(key: ConfigKey, value: unknown): string | undefined {
  if (key === 'PROXY_URL' && typeof value === 'string' && /^socks/i.test(value)) {
    return "SOCKS proxies are not supported (Bun's fetch speaks HTTP and HTTPS proxies only); run a local HTTP proxy in front of it"
  }
  if (key === 'PROXY_PROVIDERS' && Array.isArray(value)) {
    const bad = value.find((id) => typeof id !== 'string' || !isProviderId(id))
    return bad === undefined ? undefined : `unknown provider ${JSON.stringify(bad)}; allowed: ${PROVIDER_IDS.join(', ')}`
  }
  if ((key !== 'MODEL_ROUTES' && key !== 'FALLBACK_CHAIN') || !isRecord(value)) return undefined
  for (const [name, entry] of Object.entries(value)) {
    if (key === 'MODEL_ROUTES') {
      if (name === '') return 'a route key must not be empty'
      if (!isTarget(entry)) return `route ${JSON.stringify(name)}: invalid value ${JSON.stringify(entry)}; allowed: ${TARGET_TEXT}`
      continue
    }
    if (!isProviderId(name)) return `unknown provider ${JSON.stringify(name)}; allowed: ${PROVIDER_IDS.join(', ')}`
    if (!Array.isArray(entry) || entry.length === 0) return `${name}: must be a non-empty list of ${TARGET_TEXT}`
    const bad = entry.find((step) => !isTarget(step))
    if (bad !== undefined) return `${name}: invalid step ${JSON.stringify(bad)}; allowed: ${TARGET_TEXT}`
  }
  return undefined
}

function isTarget(value: unknown): boolean {
  if (typeof value === 'string') return isProviderId(value)
  if (!isRecord(value)) return false
  const keys = Object.keys(value)
  return (
    typeof value.provider === 'string' &&
    isProviderId(value.provider) &&
    typeof value.model === 'string' &&
    value.model !== '' &&
    keys.every((name) => name === 'provider' || name === 'model')
  )
}

function describeAllowed(key: ConfigKey): string {
  const schema = keySpec(key).schema as Record<string, unknown>
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Array<{ const: unknown }>).map((item) => String(item.const)).join(' | ')
  switch (schema.type) {
    case 'integer':
      return `an integer from ${schema.minimum} to ${schema.maximum}`
    case 'boolean':
      return 'true | false'
    case 'object':
      return key === 'MODEL_ROUTES' ? `an object of model name or glob → ${TARGET_TEXT}` : `an object of provider id → list of ${TARGET_TEXT}`
    case 'array':
      return `a comma list of ${PROVIDER_IDS.join(', ')}`
    default:
      if (key === 'PROXY_URL') return 'http://[user:pass@]host:port or https://…, or "" for none'
      if (key === 'MODEL_PROVIDER') return `a comma list of ${PROVIDER_IDS.join(', ')}`
      if (typeof schema.pattern === 'string' && schema.pattern.startsWith('^https?')) return 'an http(s) URL'
      return 'a non-empty string'
  }
}

/** Clients' keys arrive trimmed (header values are), so a blank key would open every route. */
function checkClientKey(key: string): void {
  if (key.trim() === '') throw new ConfigError('REQUIRED_API_KEY is empty or only whitespace; set a real key or leave it unset for a random one')
  if (key.trim() !== key) throw new ConfigError('REQUIRED_API_KEY starts or ends with whitespace, which no client can send; remove it')
}

/** Keys shorter than this start with a warning: AIClient-2-API's old default 123456 is one. */
export const SHORT_KEY_LENGTH = 16

function parseProviders(value: string): ProviderId[] {
  const ids = value
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean)
  for (const id of ids) {
    if (!isProviderId(id)) {
      throw new ConfigError(`MODEL_PROVIDER: unknown provider ${JSON.stringify(id)}; allowed: ${PROVIDER_IDS.join(', ')}`)
    }
  }
  if (ids.length === 0) throw new ConfigError(`MODEL_PROVIDER: empty; allowed: ${PROVIDER_IDS.join(', ')}`)
  return [...new Set(ids)] as ProviderId[]
}

function checkCron(pattern: string): void {
  try {
    new Cron(pattern, { paused: true }).stop()
  } catch (error) {
    throw new ConfigError(
      `HEALTH_CHECK_CRON: invalid value ${JSON.stringify(pattern)}; allowed: a croner pattern such as "0 */10 * * * *" (${(error as Error).message})`,
    )
  }
}

/** `~` is the home folder; relative paths are relative to the file (or cwd) that set them. */
export function expandPath(path: string, baseDir: string, home: string): string {
  const expanded = expandHome(path, home)
  return isAbsolute(expanded) ? expanded : resolve(baseDir, expanded)
}
