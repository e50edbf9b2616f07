import { describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { qwenProvider } from '../../../src/providers/qwen/index.ts'
import { defaultConfig } from './harness.ts'
import { tempDir } from '../../helpers/temp-dir.ts'

const tempFile = (content: string) => {
  const path = join(tempDir('qwen-nc-'), 'oauth_creds.json')
  writeFileSync(path, content)
  return path
}

describe('openai-qwen-oauth notConfigured', () => {
  test('a missing file: names the exact path and says to log in with Qwen Code', () => {
    const path = join(tmpdir(), 'definitely-missing', 'oauth_creds.json')
    const message = qwenProvider.notConfigured(defaultConfig({ QWEN_OAUTH_CREDS_FILE_PATH: path }))
    expect(message).toContain(path)
    expect(message).toContain('Qwen Code')
    expect(message).toContain('`qwen`')
    expect(message).toContain('OAuth')
  })

  test('the default path under ~ is expanded', () => {
    expect(qwenProvider.notConfigured(defaultConfig({ QWEN_OAUTH_CREDS_FILE_PATH: '~/switchboard-missing/qwen.json' }))).toContain(
      join(homedir(), 'switchboard-missing/qwen.json'),
    )
  })

  test('corrupt JSON and a missing refresh token are reported', () => {
    expect(qwenProvider.notConfigured(defaultConfig({ QWEN_OAUTH_CREDS_FILE_PATH: tempFile('[1,2') }))).toContain('corrupt (not valid JSON)')
    expect(qwenProvider.notConfigured(defaultConfig({ QWEN_OAUTH_CREDS_FILE_PATH: tempFile('[]') }))).toContain('corrupt (not a JSON object)')
    expect(qwenProvider.notConfigured(defaultConfig({ QWEN_OAUTH_CREDS_FILE_PATH: tempFile('{"access_token":"a"}') }))).toContain('has no refresh_token')
  })

  test('both the normalised file and a raw token response are usable', () => {
    const normalised = tempFile(JSON.stringify({ access_token: 'a', refresh_token: 'r', resource_url: 'portal.qwen.ai', expiry_date: 1 }))
    const raw = tempFile(JSON.stringify({ access_token: 'a', refresh_token: 'r', expires_in: 21600, token_type: 'Bearer' }))
    expect(qwenProvider.notConfigured(defaultConfig({ QWEN_OAUTH_CREDS_FILE_PATH: normalised }))).toBeUndefined()
    expect(qwenProvider.notConfigured(defaultConfig({ QWEN_OAUTH_CREDS_FILE_PATH: raw }))).toBeUndefined()
  })
})
