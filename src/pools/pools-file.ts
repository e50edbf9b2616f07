// Reads and validates provider_pools.json (AIClient-2-API's shape: provider type → list
// of members). Every problem is one line naming the file, the member and what is allowed.
// Keys we do not use are warned about, not refused, so files written for AIClient-2-API
// (which stores more fields) load as they are; a value of the wrong type is refused.
import { readBoundedText, SETTINGS_FILE_MAX_BYTES } from '../fs/read-bounded.ts'
import { homedir } from 'node:os'
import { parseJsonc } from '../config/jsonc.ts'
import { expandPath } from '../config/load.ts'
import { dirname } from 'node:path'
import { TypeGuard, type TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { CONFIG_KEYS, MEMBER_KEYS, keySpec, type AppConfig, type ConfigKey } from '../config/schema.ts'
import { PROVIDER_IDS, isProviderId, type ProviderDefinition, type ProviderId } from '../providers/types.ts'
import type { MemberSpec } from './member-spec.ts'
import { isRecord } from '../json/read.ts'

/** A setup problem of the pools (bad file, bad schedule): the CLI exits with code 2. */
export class PoolsError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PoolsError'
  }
}

export class PoolsFileError extends PoolsError {
  constructor(message: string) {
    super(message)
    this.name = 'PoolsFileError'
  }
}

export interface PoolsFile {
  members: MemberSpec[]
  /** Ignored keys, one line each. */
  warnings: string[]
  /** The file's text, to tell a real edit from a touch. */
  text: string
}

export type ProviderDefinitions = Partial<Record<ProviderId, ProviderDefinition>>

/** Fields of our own inside a member, besides config keys. */
const MEMBER_FIELDS = new Set(['uuid', 'weight', 'checkModelName', 'checkHealth', 'disabled', 'maxConcurrent'])
/** AIClient-2-API's bookkeeping fields: accepted and ignored without a word. */
const LEGACY_FIELDS = new Set(['isHealthy', 'usageCount', 'errorCount', 'lastUsed', 'lastErrorTime'])
const MEMBER_KEY_SET = new Set<string>(MEMBER_KEYS)
const CONFIG_KEY_SET = new Set<string>(CONFIG_KEYS)

export function loadPoolsFile(path: string, config: AppConfig, definitions: ProviderDefinitions): PoolsFile {
  let text: string
  try {
    text = readBoundedText(path, SETTINGS_FILE_MAX_BYTES)
  } catch (error) {
    throw new PoolsFileError(`cannot read pools file ${path}: ${errorText(error)}`)
  }
  return parsePoolsFile(text, path, config, definitions)
}

/** Validates the text of a pools file found at `path` (relative member paths resolve against its folder). */
export function parsePoolsFile(text: string, path: string, config: AppConfig, definitions: ProviderDefinitions): PoolsFile {
  let data: unknown
  try {
    data = parseJsonc(text)
  } catch (error) {
    throw new PoolsFileError(`pools file ${path} is not valid JSON: ${errorText(error)}`)
  }
  if (!isRecord(data)) {
    throw new PoolsFileError(`pools file ${path} must hold an object whose keys are provider types and whose values are lists of members`)
  }
  const members: MemberSpec[] = []
  const warnings: string[] = []
  const seen = new Map<string, string>()
  for (const [provider, list] of Object.entries(data)) {
    if (!isProviderId(provider) || definitions[provider] === undefined) {
      const valid = PROVIDER_IDS.filter((id) => definitions[id] !== undefined).join(', ')
      throw new PoolsFileError(`pools file ${path}: unknown provider type "${provider}" (valid: ${valid})`)
    }
    if (!Array.isArray(list)) throw new PoolsFileError(`pools file ${path}: "${provider}" must be a list of members`)
    list.forEach((raw: unknown, index) => {
      const spec = parseMember(raw, { path, provider, index, config, warnings })
      const where = `${provider} member ${index + 1}`
      const earlier = seen.get(spec.uuid)
      if (earlier !== undefined) throw new PoolsFileError(`pools file ${path}: uuid "${spec.uuid}" is used twice (${earlier} and ${where})`)
      seen.set(spec.uuid, where)
      // A disabled member may be disabled precisely because its credentials are gone.
      const problem = spec.disabled ? undefined : definitions[provider]?.notConfigured(spec.config)
      if (problem !== undefined) throw new PoolsFileError(`${memberWhere(path, provider, index, spec.uuid)}: ${problem}`)
      members.push(spec)
    })
  }
  return { members, warnings, text }
}

interface MemberContext {
  path: string
  provider: ProviderId
  index: number
  config: AppConfig
  warnings: string[]
}

function parseMember(raw: unknown, context: MemberContext): MemberSpec {
  const { path, provider, index } = context
  if (!isRecord(raw)) throw new PoolsFileError(`${memberWhere(path, provider, index)} must be an object`)
  const uuid = raw.uuid
  if (uuid === undefined || uuid === null) throw new PoolsFileError(`${memberWhere(path, provider, index)} has no uuid`)
  if (typeof uuid !== 'string' || uuid.trim() === '') {
    throw new PoolsFileError(`${memberWhere(path, provider, index)}: uuid must be a non-empty string`)
  }
  const where = memberWhere(path, provider, index, uuid)
  const keys: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(raw)) {
    if (MEMBER_FIELDS.has(key) || LEGACY_FIELDS.has(key)) continue
    if (MEMBER_KEY_SET.has(key)) {
      if (value !== null) keys[key] = memberKeyValue(key as ConfigKey, value, where, dirname(path))
    } else if (CONFIG_KEY_SET.has(key)) {
      context.warnings.push(`${where}: ${key} cannot be set per member; ignored`)
    } else {
      context.warnings.push(`${where}: unknown key "${key}" ignored`)
    }
  }
  const config: Record<string, unknown> = { ...context.config, ...keys }
  // A member naming its own credential file must not inherit a top-level inline credential,
  // which providers would prefer, and end up on the top-level account.
  for (const key of Object.keys(keys)) {
    const inline = key.replace(/_CREDS_FILE_PATH$/, '_CREDS_BASE64')
    if (inline !== key && !(inline in keys)) delete config[inline]
  }
  const spec: MemberSpec = {
    provider,
    uuid,
    keys: keys as Partial<AppConfig>,
    config: config as AppConfig,
    weight: optionalWeight(raw.weight, where),
    checkHealth: optionalBoolean(raw.checkHealth, 'checkHealth', true, where),
    disabled: optionalBoolean(raw.disabled, 'disabled', false, where),
  }
  const maxConcurrent = optionalLimit(raw.maxConcurrent, where)
  if (maxConcurrent !== undefined) spec.maxConcurrent = maxConcurrent
  const model = raw.checkModelName
  if (model !== undefined && model !== null) {
    if (typeof model !== 'string' || model.trim() === '') throw new PoolsFileError(`${where}: checkModelName must be a non-empty string`)
    spec.checkModelName = model
  }
  return spec
}

function memberKeyValue(key: ConfigKey, value: unknown, where: string, folder: string): unknown {
  const spec = keySpec(key)
  if (!Value.Check(spec.schema, value)) {
    const shown = spec.secret ? '' : `, got ${JSON.stringify(value)}`
    throw new PoolsFileError(`${where}: ${key} must be ${expectedValue(spec.schema)}${shown}`)
  }
  return spec.path && typeof value === 'string' ? resolveMemberPath(value, folder) : value
}

/** `~` is the home folder; relative paths resolve against the pools file's folder. */
export function resolveMemberPath(value: string, folder: string): string {
  return expandPath(value, folder, homedir())
}

function optionalWeight(value: unknown, where: string): number {
  if (value === undefined || value === null) return 1
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new PoolsFileError(`${where}: weight must be a positive number, got ${JSON.stringify(value)}`)
  }
  return value
}

function optionalLimit(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new PoolsFileError(`${where}: maxConcurrent must be an integer of at least 1, got ${JSON.stringify(value)}`)
  }
  return value
}

function optionalBoolean(value: unknown, name: string, fallback: boolean, where: string): boolean {
  if (value === undefined || value === null) return fallback
  if (typeof value !== 'boolean') throw new PoolsFileError(`${where}: ${name} must be true or false, got ${JSON.stringify(value)}`)
  return value
}

function expectedValue(schema: TSchema): string {
  if (TypeGuard.IsString(schema) && schema.pattern === '^https?://') return 'an http:// or https:// URL'
  if (TypeGuard.IsInteger(schema)) return `an integer from ${String(schema.minimum)} to ${String(schema.maximum)}`
  if (TypeGuard.IsBoolean(schema)) return 'true or false'
  return 'a non-empty string'
}

function memberWhere(path: string, provider: string, index: number, uuid?: string): string {
  return `${path}: ${provider} member ${index + 1}${uuid === undefined ? '' : ` (uuid "${uuid}")`}`
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
