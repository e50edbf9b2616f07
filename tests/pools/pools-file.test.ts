import { describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { loadPoolsFile, PoolsFileError, type ProviderDefinitions } from '../../src/pools/index.ts'
import type { ProviderDefinition } from '../../src/providers/types.ts'
import { defaultConfig, fakeDefinition, poolsFileWith } from './helpers.ts'

const geminiLike: ProviderDefinition = {
  ...fakeDefinition('gemini-cli-oauth'),
  notConfigured(config) {
    if (config.GEMINI_OAUTH_CREDS_BASE64 !== undefined) return undefined
    const file = config.GEMINI_OAUTH_CREDS_FILE_PATH
    return existsSync(file) ? undefined : `credentials file ${file} not found; run gemini auth or set GEMINI_OAUTH_CREDS_FILE_PATH`
  },
}

const definitions: ProviderDefinitions = {
  'openai-custom': fakeDefinition('openai-custom', { requiredKey: 'OPENAI_API_KEY' }),
  'gemini-cli-oauth': geminiLike,
}

function load(content: unknown, config = defaultConfig()) {
  const { path, dir } = poolsFileWith(content)
  return { file: loadPoolsFile(path, config, definitions), path, dir }
}

function problem(content: unknown, config = defaultConfig()): string {
  const { path } = poolsFileWith(content)
  try {
    loadPoolsFile(path, config, definitions)
  } catch (error) {
    expect(error).toBeInstanceOf(PoolsFileError)
    const message = (error as Error).message
    expect(message).not.toContain('\n')
    expect(message).toContain(path)
    return message
  }
  throw new Error('expected the file to be refused')
}

describe('valid files', () => {
  test('members keep their fields; weight 1, checks on and enabled by default', () => {
    const { file } = load({
      'openai-custom': [
        { uuid: 'a', OPENAI_API_KEY: 'sk-a-0123456789', weight: 3, checkModelName: 'gpt-4o-mini', checkHealth: false },
        { uuid: 'b', OPENAI_API_KEY: 'sk-b-0123456789', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', disabled: true },
      ],
    })
    expect(file.members.map((m) => [m.uuid, m.weight, m.checkModelName, m.checkHealth, m.disabled])).toEqual([
      ['a', 3, 'gpt-4o-mini', false, false],
      ['b', 1, undefined, true, true],
    ])
    expect(file.members[1]?.config.OPENAI_BASE_URL).toBe('http://127.0.0.1:9/v1')
    expect(file.warnings).toEqual([])
  })

  test('member keys override the top-level config; the rest is inherited', () => {
    const config = defaultConfig({ OPENAI_API_KEY: 'sk-top-0123456789', REQUEST_TIMEOUT_MS: 5_000 })
    const { file } = load(
      {
        'openai-custom': [
          { uuid: 'a', OPENAI_BASE_URL: 'https://example.test/v1' },
          { uuid: 'b', REQUEST_TIMEOUT_MS: 900 },
        ],
      },
      config,
    )
    expect(file.members[0]?.config.OPENAI_API_KEY).toBe('sk-top-0123456789')
    expect(file.members[0]?.config.OPENAI_BASE_URL).toBe('https://example.test/v1')
    expect(file.members[0]?.config.REQUEST_TIMEOUT_MS).toBe(5_000)
    expect(file.members[1]?.config.REQUEST_TIMEOUT_MS).toBe(900)
    expect(file.members[0]?.keys).toEqual({ OPENAI_BASE_URL: 'https://example.test/v1' })
  })

  test("AIClient-2-API's bookkeeping fields are accepted silently; unknown keys are warned about", () => {
    const { file } = load({
      'openai-custom': [
        {
          uuid: 'a',
          OPENAI_API_KEY: 'sk-a-0123456789',
          isHealthy: false,
          usageCount: 12,
          errorCount: 3,
          lastUsed: '2025-01-01T00:00:00Z',
          lastErrorTime: null,
          customName: 'work account',
          REQUEST_MAX_RETRIES: 9,
        },
      ],
    })
    expect(file.members).toHaveLength(1)
    expect(file.warnings).toHaveLength(2)
    expect(file.warnings[0]).toContain('unknown key "customName" ignored')
    expect(file.warnings[1]).toContain('REQUEST_MAX_RETRIES cannot be set per member')
  })

  test('an empty list means the provider has no pool entries', () => {
    expect(load({ 'openai-custom': [] }).file.members).toEqual([])
  })
})

describe('paths inside members', () => {
  test('relative paths resolve against the pools file folder, ~ is the home folder', () => {
    const { path, dir } = poolsFileWith('{}')
    mkdirSync(join(dir, 'creds'))
    writeFileSync(join(dir, 'creds', 'one.json'), '{}')
    writeFileSync(
      path,
      JSON.stringify({
        'gemini-cli-oauth': [
          { uuid: 'rel', GEMINI_OAUTH_CREDS_FILE_PATH: 'creds/one.json' },
          { uuid: 'home', GEMINI_OAUTH_CREDS_FILE_PATH: '~/somewhere/creds.json', disabled: true },
          { uuid: 'abs', GEMINI_OAUTH_CREDS_FILE_PATH: join(dir, 'creds', 'one.json') },
        ],
      }),
    )
    const file = loadPoolsFile(path, defaultConfig(), definitions)
    expect(file.members.map((m) => m.config.GEMINI_OAUTH_CREDS_FILE_PATH)).toEqual([
      join(dir, 'creds', 'one.json'),
      join(homedir(), 'somewhere', 'creds.json'),
      join(dir, 'creds', 'one.json'),
    ])
  })

  test('a member naming its own credential file does not inherit a top-level inline credential', () => {
    const { path, dir } = poolsFileWith('{}')
    writeFileSync(join(dir, 'own.json'), '{}')
    writeFileSync(
      path,
      JSON.stringify({
        'gemini-cli-oauth': [
          { uuid: 'own', GEMINI_OAUTH_CREDS_FILE_PATH: 'own.json' },
          { uuid: 'inline', PROJECT_ID: 'p-1' },
        ],
      }),
    )
    const config = defaultConfig({ GEMINI_OAUTH_CREDS_BASE64: 'eyJ0b3AiOiJsZXZlbCJ9' })
    const [own, inline] = loadPoolsFile(path, config, definitions).members
    expect(own?.config.GEMINI_OAUTH_CREDS_BASE64).toBeUndefined()
    expect(inline?.config.GEMINI_OAUTH_CREDS_BASE64).toBe('eyJ0b3AiOiJsZXZlbCJ9')
  })
})

describe('refused files, each with a one-line message', () => {
  test('duplicate uuid', () => {
    const message = problem({
      'openai-custom': [{ uuid: 'same', OPENAI_API_KEY: 'sk-1-0123456789' }],
      'gemini-cli-oauth': [{ uuid: 'same', GEMINI_OAUTH_CREDS_BASE64: 'e30=' }],
    })
    expect(message).toContain('uuid "same" is used twice (openai-custom member 1 and gemini-cli-oauth member 1)')
  })

  test('missing uuid', () => {
    expect(problem({ 'openai-custom': [{ OPENAI_API_KEY: 'sk-1-0123456789' }] })).toContain('openai-custom member 1 has no uuid')
    expect(problem({ 'openai-custom': [{ uuid: '  ' }] })).toContain('uuid must be a non-empty string')
  })

  test('unknown provider type, listing the valid ones', () => {
    expect(problem({ 'gemini-antigravity': [] })).toContain('unknown provider type "gemini-antigravity" (valid: openai-custom, gemini-cli-oauth)')
  })

  test("member missing its provider's required key", () => {
    expect(problem({ 'openai-custom': [{ uuid: 'nokey' }] })).toContain('openai-custom member 1 (uuid "nokey"): set OPENAI_API_KEY')
  })

  test('member whose credential file does not exist', () => {
    const message = problem({ 'gemini-cli-oauth': [{ uuid: 'g1', GEMINI_OAUTH_CREDS_FILE_PATH: 'missing.json' }] })
    expect(message).toContain('gemini-cli-oauth member 1 (uuid "g1"): credentials file')
    expect(message).toContain('missing.json not found')
  })

  test('values of the wrong type; secrets are not echoed', () => {
    expect(problem({ 'openai-custom': [{ uuid: 'a', OPENAI_API_KEY: 'sk-1-0123456789', OPENAI_BASE_URL: 'ftp://x' }] })).toContain(
      'OPENAI_BASE_URL must be an http:// or https:// URL, got "ftp://x"',
    )
    expect(problem({ 'openai-custom': [{ uuid: 'a', OPENAI_API_KEY: 'sk-1-0123456789', REQUEST_TIMEOUT_MS: 0 }] })).toContain(
      'REQUEST_TIMEOUT_MS must be an integer from 1 to 3600000, got 0',
    )
    const secret = problem({ 'openai-custom': [{ uuid: 'a', OPENAI_API_KEY: 12345678901234 }] })
    expect(secret).toContain('OPENAI_API_KEY must be a non-empty string')
    expect(secret).not.toContain('12345678901234')
    expect(problem({ 'openai-custom': [{ uuid: 'a', OPENAI_API_KEY: 'sk-1-0123456789', weight: 0 }] })).toContain('weight must be a positive number, got 0')
    expect(problem({ 'openai-custom': [{ uuid: 'a', OPENAI_API_KEY: 'sk-1-0123456789', disabled: 'yes' }] })).toContain('disabled must be true or false')
    expect(problem({ 'openai-custom': [{ uuid: 'a', OPENAI_API_KEY: 'sk-1-0123456789', maxConcurrent: 0 }] })).toContain(
      'maxConcurrent must be an integer of at least 1, got 0',
    )
    expect(problem({ 'openai-custom': [{ uuid: 'a', OPENAI_API_KEY: 'sk-1-0123456789', maxConcurrent: 1.5 }] })).toContain('got 1.5')
  })

  test('broken shapes', () => {
    expect(problem('{ "openai-custom": [')).toContain('is not valid JSON')
    expect(problem([])).toContain('must hold an object')
    expect(problem({ 'openai-custom': {} })).toContain('"openai-custom" must be a list of members')
    expect(problem({ 'openai-custom': ['a'] })).toContain('openai-custom member 1 must be an object')
  })

  test('an unreadable file', () => {
    expect(() => loadPoolsFile('/nonexistent/provider_pools.json', defaultConfig(), definitions)).toThrow(
      'cannot read pools file /nonexistent/provider_pools.json',
    )
  })

  test('a disabled member may lack its credentials', () => {
    const { file } = load({ 'gemini-cli-oauth': [{ uuid: 'gone', GEMINI_OAUTH_CREDS_FILE_PATH: 'gone.json', disabled: true }] })
    expect(file.members[0]?.disabled).toBe(true)
  })
})
