import { describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { expandHome } from '../../../src/fs/expand-home.ts'
import { readKiroCredentials } from '../../../src/providers/kiro/credentials.ts'
import { parseExpiresAt } from '../../../src/providers/kiro/expires-at.ts'
import { kiroProvider } from '../../../src/providers/kiro/index.ts'
import { kiroConfig, tempDir, writeJson } from './helpers.ts'

const fileConfig = (path: string) => kiroConfig({ KIRO_OAUTH_CREDS_FILE_PATH: path })
const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64')

describe('parseExpiresAt', () => {
  test.each([
    ['2026-01-09T04:43:18.079Z', Date.UTC(2026, 0, 9, 4, 43, 18, 79)],
    ['2026-01-09T04:43:18Z', Date.UTC(2026, 0, 9, 4, 43, 18)],
    ['2026-01-09T04:43:18.079123456Z', Date.UTC(2026, 0, 9, 4, 43, 18, 79)],
    ['2026-01-09T04:43:18+00:00', Date.UTC(2026, 0, 9, 4, 43, 18)],
    ['2026-01-09T06:43:18.5+02:00', Date.UTC(2026, 0, 9, 4, 43, 18, 500)],
    ['2026-01-08T23:43:18-0500', Date.UTC(2026, 0, 9, 4, 43, 18)],
    ['2026-01-09T04:43:18', Date.UTC(2026, 0, 9, 4, 43, 18)],
    [1767933798, 1767933798000],
    [1767933798079, 1767933798079],
  ])('%p', (value, expected) => {
    expect(parseExpiresAt(value)).toBe(expected)
  })

  test.each(['tomorrow', '2026-13-01T00:00:00Z', '', null, {}])('rejects %p', (value) => {
    expect(parseExpiresAt(value)).toBeUndefined()
  })
})

describe('reading Kiro credentials', () => {
  test('a social token file: fields, default region, idcRegion defaulting to region', () => {
    const path = writeJson(join(tempDir(), 'kiro-auth-token.json'), {
      accessToken: 'aoa-1',
      refreshToken: 'aor-1',
      expiresAt: '2026-01-09T04:43:18.079Z',
      authMethod: 'social',
      provider: 'Google',
      profileArn: 'arn:aws:codewhisperer:us-east-1:1:profile/P',
    })
    const { credentials, origin } = readKiroCredentials(fileConfig(path))
    expect(origin).toEqual({ kind: 'file', path })
    expect(credentials).toEqual({
      accessToken: 'aoa-1',
      refreshToken: 'aor-1',
      expiresAt: Date.UTC(2026, 0, 9, 4, 43, 18, 79),
      authMethod: 'social',
      profileArn: 'arn:aws:codewhisperer:us-east-1:1:profile/P',
      region: 'us-east-1',
      idcRegion: 'us-east-1',
    })
  })

  test('an IdC token keeps its regions and client registration', () => {
    const path = writeJson(join(tempDir(), 't.json'), {
      accessToken: 'a',
      refreshToken: 'r',
      authMethod: 'IdC',
      clientId: 'cid',
      clientSecret: 'cs',
      region: 'eu-central-1',
      idcRegion: 'us-east-1',
    })
    expect(readKiroCredentials(fileConfig(path)).credentials).toMatchObject({
      authMethod: 'idc',
      clientId: 'cid',
      clientSecret: 'cs',
      region: 'eu-central-1',
      idcRegion: 'us-east-1',
    })
  })

  test.each([
    [{ clientId: 'c', clientSecret: 's' }, 'idc'],
    [{ clientIdHash: 'abc123' }, 'idc'],
    [{}, 'social'],
    [{ authMethod: 'builder-id' }, 'idc'],
    [{ authMethod: 'Social' }, 'social'],
  ])('without or with authMethod %o the login is %s', (extra, method) => {
    const path = writeJson(join(tempDir(), 't.json'), { accessToken: 'a', refreshToken: 'r', ...extra })
    expect(readKiroCredentials(fileConfig(path)).credentials.authMethod).toBe(method as 'social' | 'idc')
  })

  test('base64 credentials win over the file path (which has a default)', () => {
    const config = kiroConfig({
      KIRO_OAUTH_CREDS_BASE64: base64({ accessToken: 'from-b64', refreshToken: 'r' }),
      KIRO_OAUTH_CREDS_FILE_PATH: '/nonexistent/x.json',
    })
    const { credentials, origin } = readKiroCredentials(config)
    expect(origin).toEqual({ kind: 'base64' })
    expect(credentials.accessToken).toBe('from-b64')
  })

  test('other JSON files of the folder are never merged in', () => {
    const dir = tempDir()
    const path = writeJson(join(dir, 'kiro-auth-token.json'), { accessToken: 'a', refreshToken: 'r', authMethod: 'social' })
    writeJson(join(dir, 'stray.json'), { accessToken: 'evil', region: 'eu-west-1', profileArn: 'arn:evil' })
    const { credentials } = readKiroCredentials(fileConfig(path))
    expect([credentials.accessToken, credentials.region, credentials.profileArn]).toEqual(['a', 'us-east-1', undefined])
  })

  test('an IdC token without a client reads clientId/clientSecret from its clientIdHash registration only', () => {
    const dir = tempDir()
    const path = writeJson(join(dir, 'kiro-auth-token.json'), { accessToken: 'a', refreshToken: 'r', authMethod: 'IdC', clientIdHash: 'f00d' })
    writeJson(join(dir, 'f00d.json'), { clientId: 'cid', clientSecret: 'cs', accessToken: 'not-taken', expiresAt: '2030-01-01T00:00:00Z' })
    const { credentials } = readKiroCredentials(fileConfig(path))
    expect([credentials.clientId, credentials.clientSecret, credentials.accessToken]).toEqual(['cid', 'cs', 'a'])
  })

  test('a clientIdHash that is a path is ignored', () => {
    const dir = tempDir()
    const path = writeJson(join(dir, 'kiro-auth-token.json'), { accessToken: 'a', refreshToken: 'r', authMethod: 'IdC', clientIdHash: '../x' })
    expect(readKiroCredentials(fileConfig(path)).credentials.clientId).toBeUndefined()
  })

  test('a leading ~ is expanded', () => {
    expect(expandHome('~/.aws/sso/cache/kiro-auth-token.json')).toBe(join(homedir(), '.aws/sso/cache/kiro-auth-token.json'))
    expect(expandHome('/abs/path.json')).toBe('/abs/path.json')
  })
})

describe('kiroProvider.notConfigured', () => {
  test('a usable file: configured', () => {
    const path = writeJson(join(tempDir(), 't.json'), { refreshToken: 'r' })
    expect(kiroProvider.notConfigured(fileConfig(path))).toBeUndefined()
  })

  test('a missing file names the exact path and says to log in with the Kiro IDE', () => {
    const path = join(tempDir(), 'missing.json')
    const message = kiroProvider.notConfigured(fileConfig(path)) ?? ''
    expect(message).toContain(path)
    expect(message).toContain('not found')
    expect(message).toContain('Log in with the Kiro IDE')
    expect(message).toContain('KIRO_OAUTH_CREDS_FILE_PATH')
  })

  test('an unreadable path (a folder) says so', () => {
    const path = tempDir()
    expect(kiroProvider.notConfigured(fileConfig(path))).toContain(`unreadable (not a regular file): ${path}`)
  })

  test('corrupt JSON gives a clear message, not a crash', () => {
    const path = join(tempDir(), 't.json')
    writeFileSync(path, '{"accessToken": "a",')
    const message = kiroProvider.notConfigured(fileConfig(path)) ?? ''
    expect(message).toContain(path)
    expect(message).toContain('not valid JSON')
  })

  test.each([
    [['x'], 'JSON object'],
    [{ provider: 'Google' }, 'neither accessToken nor refreshToken'],
    [{ accessToken: 'a', region: 'evil.com/#' }, 'invalid region'],
    [{ accessToken: 'a', expiresAt: 'soon' }, 'unreadable expiresAt'],
  ])('%o is refused: %s', (content, why) => {
    const path = writeJson(join(tempDir(), 't.json'), content)
    expect(kiroProvider.notConfigured(fileConfig(path))).toContain(why)
  })

  test('bad base64 content names the key, never the value', () => {
    const value = Buffer.from('not json at all').toString('base64')
    const message = kiroProvider.notConfigured(kiroConfig({ KIRO_OAUTH_CREDS_BASE64: value })) ?? ''
    expect(message).toContain('KIRO_OAUTH_CREDS_BASE64')
    expect(message).not.toContain(value)
  })
})
