import { describe, expect, test } from 'bun:test'
import { MemoryCounters } from '../../src/keys/counters.ts'
import { type ClientKey, KeysFileError, parseKeys, sha256Hex } from '../../src/keys/keys-file.ts'
import { newKeyEntry } from '../../src/keys/new-key.ts'

const SECRET = 'sk-secret-never-echo-0001'

function problem(keys: unknown[]): string {
  try {
    parseKeys({ keys }, 'keys.json')
  } catch (error) {
    if (error instanceof KeysFileError) return error.message
    throw error
  }
  throw new Error('expected a KeysFileError')
}

describe('client keys file', () => {
  test('a key is held as its SHA-256; a keyHash entry is taken as is', () => {
    const [plain, hashed] = parseKeys(
      {
        keys: [
          { name: 'a', key: SECRET },
          { name: 'b', keyHash: `sha256:${'AB'.repeat(32)}` },
        ],
      },
      'f',
    )
    expect(plain?.hash).toBe(sha256Hex(SECRET))
    expect(hashed?.hash).toBe('ab'.repeat(32))
    expect(JSON.stringify([plain, hashed])).not.toContain(SECRET)
  })

  test.each([
    [[{ name: 'a', key: SECRET, rpm: 0 }], 'keys[0] ("a"): rpm must be a whole number of at least 1'],
    [
      [
        { name: 'a', key: SECRET },
        { name: 'a', key: `${SECRET}x` },
      ],
      'keys[1] ("a"): name is used by an earlier entry',
    ],
    [
      [
        { name: 'a', key: SECRET },
        { name: 'b', key: SECRET },
      ],
      'keys[1] ("b"): the same key as an earlier entry',
    ],
    [[{ name: 'a', key: SECRET, keyHash: 'sha256:00' }], 'give exactly one of "key" or "keyHash"'],
    [[{ name: 'a', keyHash: 'md5:abc' }], 'keyHash must be "sha256:" and 64 hex digits'],
    [[{ name: 'a', key: SECRET, providers: ['nope'] }], 'providers: "nope" is not a provider id'],
    [[{ name: 'a', key: SECRET, expiresAt: 'soon' }], 'expiresAt must be an ISO date'],
    [[{ name: 'a', key: SECRET, colour: 'red' }], 'unknown field "colour"'],
    [[{ name: 'a', key: 'short' }], 'key must be at least 8 characters'],
  ])('%j is refused with one line naming the entry: %s', (keys, expected) => {
    const message = problem(keys)
    expect(message).toContain(expected)
    expect(message).not.toContain(SECRET)
    expect(message).not.toContain('short"')
  })

  test('`switchboard keys` prints a fresh key, and its hash entry matches it', () => {
    const text = newKeyEntry('alice', (size) => Buffer.alloc(size, 7))
    const key = /sk-sb-[\w-]+/.exec(text)?.[0] ?? ''
    expect(text).toContain(`{"name":"alice","key":"${key}"}`)
    expect(text).toContain(`{"name":"alice","keyHash":"sha256:${sha256Hex(key)}"}`)
  })
})

describe('key counters on a virtual clock', () => {
  const key = (limits: Partial<ClientKey>): ClientKey => ({ name: 'k', hash: 'h', disabled: false, ...limits })
  const MINUTE = 60_000
  const t0 = Date.UTC(2026, 11, 5, 10, 0, 0)

  test('rpm: the limit holds within a clock minute and resets at its boundary; Retry-After is the time to it', () => {
    const counters = new MemoryCounters()
    const k = key({ rpm: 2 })
    expect(counters.admit(k, t0 + 1_000)).toBeUndefined()
    expect(counters.admit(k, t0 + 2_000)).toBeUndefined()
    const refused = counters.admit(k, t0 + 45_000)
    expect(refused?.status).toBe(429)
    expect(refused?.retryAfterMs).toBe(15_000)
    expect(counters.admit(k, t0 + MINUTE - 1)?.status).toBe(429)
    expect(counters.admit(k, t0 + MINUTE)).toBeUndefined()
  })

  test('tpm: tokens charged in the minute refuse further requests until the next one', () => {
    const counters = new MemoryCounters()
    const k = key({ tpm: 100 })
    expect(counters.admit(k, t0)).toBeUndefined()
    counters.charge('k', 100, t0 + 10)
    expect(counters.admit(k, t0 + 20)?.message).toContain('100 tokens per minute')
    expect(counters.admit(k, t0 + MINUTE)).toBeUndefined()
  })

  test('dailyTokens: refused until 00:00 UTC, then counting starts again', () => {
    const counters = new MemoryCounters()
    const k = key({ dailyTokens: 1_000 })
    const lateEvening = Date.UTC(2026, 11, 5, 23, 59, 0)
    counters.seedDaily('k', 900, lateEvening)
    expect(counters.admit(k, lateEvening)).toBeUndefined()
    counters.charge('k', 100, lateEvening)
    const refused = counters.admit(k, lateEvening + 1_000)
    expect(refused?.status).toBe(429)
    expect(refused?.retryAfterMs).toBe(59_000)
    expect(counters.admit(k, Date.UTC(2026, 11, 6, 0, 0, 0))).toBeUndefined()
  })
})
