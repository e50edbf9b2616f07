import { describe, expect, test } from 'bun:test'
import { chmodSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { createLogger } from '../../../src/log.ts'
import { geminiCliProvider } from '../../../src/providers/gemini-cli/index.ts'
import { defaultConfig, geminiCall, HELLO } from './harness.ts'
import { tempDir } from '../../helpers/temp-dir.ts'

const tempFile = (content: string) => {
  const path = join(tempDir('gemini-nc-'), 'oauth_creds.json')
  writeFileSync(path, content)
  return path
}

describe('gemini-cli-oauth notConfigured', () => {
  test('a missing file: names the exact path and says to log in with the Gemini CLI', () => {
    const path = join(tmpdir(), 'definitely-missing', 'oauth_creds.json')
    const message = geminiCliProvider.notConfigured(defaultConfig({ GEMINI_OAUTH_CREDS_FILE_PATH: path }))
    expect(message).toContain(path)
    expect(message).toContain('Gemini CLI')
    expect(message).toContain('`gemini`')
    expect(message).toContain('Login with Google')
  })

  test('~ in the path is expanded', () => {
    const message = geminiCliProvider.notConfigured(defaultConfig({ GEMINI_OAUTH_CREDS_FILE_PATH: '~/switchboard-missing/oauth_creds.json' }))
    expect(message).toContain(join(homedir(), 'switchboard-missing/oauth_creds.json'))
  })

  test('corrupt JSON is reported as such, without quoting the file', () => {
    const path = tempFile('{"access_token":"ya29.secret-value",')
    const message = geminiCliProvider.notConfigured(defaultConfig({ GEMINI_OAUTH_CREDS_FILE_PATH: path }))
    expect(message).toContain(`${path} are corrupt (not valid JSON)`)
    expect(message).not.toContain('secret-value')
  })

  test('a file without a refresh token cannot be used', () => {
    const path = tempFile(JSON.stringify({ access_token: 'ya29.x' }))
    expect(geminiCliProvider.notConfigured(defaultConfig({ GEMINI_OAUTH_CREDS_FILE_PATH: path }))).toContain('has no refresh_token')
  })

  // Root reads any file, so there is nothing to observe then.
  test.skipIf(process.getuid?.() === 0)('an unreadable file says so', () => {
    const path = tempFile(JSON.stringify({ refresh_token: 'x' }))
    chmodSync(path, 0o000)
    expect(geminiCliProvider.notConfigured(defaultConfig({ GEMINI_OAUTH_CREDS_FILE_PATH: path }))).toContain('cannot be read (EACCES)')
  })

  test('a usable file or base64 value: configured', () => {
    const path = tempFile(JSON.stringify({ access_token: 'ya29.x', refresh_token: '1//y', expiry_date: 1 }))
    expect(geminiCliProvider.notConfigured(defaultConfig({ GEMINI_OAUTH_CREDS_FILE_PATH: path }))).toBeUndefined()
    const base64 = Buffer.from(JSON.stringify({ refresh_token: '1//y' })).toString('base64')
    expect(geminiCliProvider.notConfigured(defaultConfig({ GEMINI_OAUTH_CREDS_BASE64: base64 }))).toBeUndefined()
  })

  test('base64 that is not credentials JSON', () => {
    const message = geminiCliProvider.notConfigured(defaultConfig({ GEMINI_OAUTH_CREDS_BASE64: 'bm90IGpzb24=' }))
    expect(message).toContain('GEMINI_OAUTH_CREDS_BASE64 is not the base64 of a Gemini CLI oauth_creds.json')
  })

  test('a request against a missing file fails with the same message, and starts no login', async () => {
    const path = join(tmpdir(), 'definitely-missing', 'oauth_creds.json')
    const config = defaultConfig({ GEMINI_OAUTH_CREDS_FILE_PATH: path })
    const calls: string[] = []
    const recordingFetch = Object.assign(
      async (input: string | URL | Request) => {
        calls.push(String(input))
        return new Response('{}')
      },
      { preconnect: fetch.preconnect },
    )
    const client = geminiCliProvider.create(config, { log: createLogger({ level: 'silent' }), now: Date.now, fetch: recordingFetch })
    const error = await client.chat(geminiCall(HELLO)).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(GatewayError)
    expect(error).toMatchObject({ status: 503, scope: 'member', message: geminiCliProvider.notConfigured(config) })
    expect(calls).toEqual([])
  })
})
