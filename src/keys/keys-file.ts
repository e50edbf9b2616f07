// The client keys file (CLIENT_KEYS_FILE_PATH): named keys, each with optional limits. Read
// like the pools file: JSONC, validated whole, one line naming the entry and the problem,
// never echoing a key. Keys are held as their SHA-256, so a file may carry only the hash.
import { createHash } from 'node:crypto'
import { parseJsonc } from '../config/jsonc.ts'
import { readBoundedText, SETTINGS_FILE_MAX_BYTES } from '../fs/read-bounded.ts'
import { isRecord } from '../json/read.ts'
import { isProviderId, type ProviderId } from '../providers/types.ts'

export interface ClientKey {
  name: string
  /** SHA-256 of the key, lowercase hex. */
  hash: string
  providers?: readonly ProviderId[]
  rpm?: number
  tpm?: number
  dailyTokens?: number
  /** Epoch ms after which the key is refused. */
  expiresAt?: number
  disabled: boolean
}

export class KeysFileError extends Error {}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

const HASH_FORM = /^sha256:([0-9a-f]{64})$/i
const NAME_FORM = /^[\w.@-]{1,64}$/
const LIMITS = ['rpm', 'tpm', 'dailyTokens'] as const
const KNOWN = new Set(['name', 'key', 'keyHash', 'providers', 'expiresAt', 'disabled', ...LIMITS])

export function loadKeysFile(path: string): ClientKey[] {
  let text: string
  try {
    text = readBoundedText(path, SETTINGS_FILE_MAX_BYTES)
  } catch (error) {
    throw new KeysFileError(`client keys file ${path}: cannot read it: ${error instanceof Error ? error.message : String(error)}`)
  }
  let data: unknown
  try {
    data = parseJsonc(text)
  } catch (error) {
    throw new KeysFileError(`client keys file ${path}: not valid JSON, ${error instanceof Error ? error.message : String(error)}`)
  }
  return parseKeys(data, `client keys file ${path}`)
}

/** Validates the file's content; `where` starts every message. */
export function parseKeys(data: unknown, where: string): ClientKey[] {
  if (!isRecord(data) || !Array.isArray(data.keys)) throw new KeysFileError(`${where}: must be an object with a "keys" array`)
  const names = new Set<string>()
  const hashes = new Set<string>()
  return data.keys.map((entry, index) => {
    const at = (problem: string) =>
      new KeysFileError(
        `${where}: keys[${index}]${isRecord(entry) && typeof entry.name === 'string' ? ` (${JSON.stringify(entry.name.slice(0, 64))})` : ''}: ${problem}`,
      )
    if (!isRecord(entry)) throw at('must be an object')
    for (const field of Object.keys(entry)) if (!KNOWN.has(field)) throw at(`unknown field ${JSON.stringify(field.slice(0, 64))}`)
    const { name } = entry
    if (typeof name !== 'string' || !NAME_FORM.test(name)) throw at('name must be 1–64 letters, digits, or . _ @ -')
    if (names.has(name)) throw at('name is used by an earlier entry')
    names.add(name)
    const hash = keyHashOf(entry, at)
    if (hashes.has(hash)) throw at('the same key as an earlier entry')
    hashes.add(hash)
    const key: ClientKey = { name, hash, disabled: false }
    if (entry.disabled !== undefined) {
      if (typeof entry.disabled !== 'boolean') throw at('disabled must be true or false')
      key.disabled = entry.disabled
    }
    for (const limit of LIMITS) {
      const value = entry[limit]
      if (value === undefined) continue
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw at(`${limit} must be a whole number of at least 1`)
      key[limit] = value
    }
    if (entry.providers !== undefined) {
      if (!Array.isArray(entry.providers) || entry.providers.length === 0) throw at('providers must be a non-empty list of provider ids')
      for (const id of entry.providers)
        if (typeof id !== 'string' || !isProviderId(id)) throw at(`providers: ${JSON.stringify(String(id).slice(0, 64))} is not a provider id`)
      key.providers = entry.providers as ProviderId[]
    }
    if (entry.expiresAt !== undefined) {
      const at_ = typeof entry.expiresAt === 'string' ? Date.parse(entry.expiresAt) : Number.NaN
      if (Number.isNaN(at_)) throw at('expiresAt must be an ISO date such as 2027-01-31T00:00:00Z')
      key.expiresAt = at_
    }
    return key
  })
}

function keyHashOf(entry: Record<string, unknown>, at: (problem: string) => KeysFileError): string {
  const { key, keyHash } = entry
  if ((key === undefined) === (keyHash === undefined)) throw at('give exactly one of "key" or "keyHash"')
  if (key !== undefined) {
    if (typeof key !== 'string' || key.trim() !== key || key.length < 8) throw at('key must be at least 8 characters, without surrounding spaces')
    return sha256Hex(key)
  }
  const match = typeof keyHash === 'string' ? HASH_FORM.exec(keyHash) : null
  if (!match?.[1]) throw at('keyHash must be "sha256:" and 64 hex digits')
  return match[1].toLowerCase()
}
