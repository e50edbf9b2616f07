import { describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, loadConfig } from '../../src/config/load.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const dir = () => tempDir('sb-config-')

describe('loadConfig', () => {
  test('built-in defaults apply when there is no config file', () => {
    const { config, providers, generatedKey } = loadConfig({ flags: {}, cwd: dir(), home: '/home/u' })
    expect(config.HOST).toBe('127.0.0.1')
    expect(config.SERVER_PORT).toBe(3000)
    expect(providers).toEqual(['local-echo'])
    expect(config.GEMINI_OAUTH_CREDS_FILE_PATH).toBe('/home/u/.gemini/oauth_creds.json')
    expect(generatedKey).toBe(true)
    expect(config.REQUIRED_API_KEY).toMatch(/^[0-9a-f]{32}$/)
  })

  test('CLI beats config.json beats default, key by key', () => {
    const cwd = dir()
    writeFileSync(join(cwd, 'config.json'), JSON.stringify({ SERVER_PORT: 4000, HOST: '0.0.0.0', REQUIRED_API_KEY: 'file-key' }))
    const { config, generatedKey } = loadConfig({ flags: { SERVER_PORT: '5000' }, cwd })
    expect(config.SERVER_PORT).toBe(5000)
    expect(config.HOST).toBe('0.0.0.0')
    expect(config.REQUEST_MAX_RETRIES).toBe(3)
    expect(config.REQUIRED_API_KEY).toBe('file-key')
    expect(generatedKey).toBe(false)
  })

  test('relative paths in config.json resolve against its folder, CLI paths against cwd', () => {
    const cwd = dir()
    const sub = join(cwd, 'conf')
    require('node:fs').mkdirSync(sub)
    writeFileSync(join(sub, 'config.json'), JSON.stringify({ PROVIDER_POOLS_FILE_PATH: 'pools.json' }))
    const fromFile = loadConfig({ flags: {}, configPath: 'conf/config.json', cwd })
    expect(fromFile.config.PROVIDER_POOLS_FILE_PATH).toBe(join(sub, 'pools.json'))
    const fromFlag = loadConfig({ flags: { PROVIDER_POOLS_FILE_PATH: 'p.json' }, configPath: 'conf/config.json', cwd })
    expect(fromFlag.config.PROVIDER_POOLS_FILE_PATH).toBe(join(cwd, 'p.json'))
  })

  test('MODEL_PROVIDER takes a comma list, first is the default', () => {
    const { providers } = loadConfig({ flags: { MODEL_PROVIDER: ' openai-custom , Claude-Custom' }, cwd: dir() })
    expect(providers).toEqual(['openai-custom', 'claude-custom'])
  })

  test.each([
    [{ SERVER_PORT: 'abc' }, '--port (SERVER_PORT): invalid value "abc"; allowed: an integer from 0 to 65535'],
    [{ SERVER_PORT: '70000' }, 'allowed: an integer from 0 to 65535'],
    [{ SYSTEM_PROMPT_MODE: 'replace' }, 'allowed: overwrite | append'],
    [{ PROMPT_LOG_MODE: 'loud' }, 'allowed: none | console | file'],
    [{ CRON_REFRESH_TOKEN: 'yes' }, 'allowed: true | false'],
    [{ OPENAI_BASE_URL: 'api.openai.com' }, 'allowed: an http(s) URL'],
    [{ MODEL_PROVIDER: 'gpt' }, 'MODEL_PROVIDER: unknown provider "gpt"'],
    [{ HEALTH_CHECK_CRON: 'every minute' }, 'HEALTH_CHECK_CRON: invalid value "every minute"'],
  ] as const)('bad value %p is one line naming key, value and what is allowed', (flags, message) => {
    expect(() => loadConfig({ flags, cwd: dir() })).toThrow(ConfigError)
    try {
      loadConfig({ flags, cwd: dir() })
    } catch (error) {
      expect((error as Error).message).toContain(message)
      expect((error as Error).message).not.toContain('\n')
    }
  })

  test('a missing explicit config file is an error, a missing default one is fine', () => {
    expect(() => loadConfig({ flags: {}, configPath: 'nope.json', cwd: dir() })).toThrow('does not exist')
    expect(() => loadConfig({ flags: {}, cwd: dir() })).not.toThrow()
  })

  test('invalid JSON in config.json names the file', () => {
    const cwd = dir()
    writeFileSync(join(cwd, 'config.json'), '{ nope')
    expect(() => loadConfig({ flags: {}, cwd })).toThrow(/config\.json: not valid JSON/)
  })

  test('keys switchboard does not know are reported, not fatal', () => {
    const cwd = dir()
    writeFileSync(join(cwd, 'config.json'), JSON.stringify({ RATE_LIMIT_COOLDOWN_MS: 5, SERVER_PORT: '3100' }))
    const loaded = loadConfig({ flags: {}, cwd })
    expect(loaded.unknownKeys).toEqual(['RATE_LIMIT_COOLDOWN_MS'])
    expect(loaded.config.SERVER_PORT).toBe(3100)
  })
})
