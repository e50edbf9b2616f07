// PROMPT_LOG_MODE=file never fails a request: an unwritable path stops startup, a later
// write error is logged once and skipped, and the files are readable by their owner only.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { existsSync, mkdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '../../src/config/load.ts'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const NOW = Date.parse('2026-03-04T05:06:07Z')
const chat = { model: 'm', messages: [{ role: 'user', content: 'remember me' }] }

describe('an unwritable prompt log path', () => {
  test('stops startup with a ConfigError naming the file', async () => {
    const dir = tempDir('sb-plog-')
    const notAFolder = join(dir, 'plain-file')
    writeFileSync(notAFolder, '')
    const base = join(notAFolder, 'prompts')
    const starting = startGateway({ PROMPT_LOG_MODE: 'file', PROMPT_LOG_BASE_NAME: base }, { now: () => NOW })
    await expect(starting).rejects.toBeInstanceOf(ConfigError)
    await expect(starting).rejects.toThrow(`${base}-2026-03-04.log`)
  })
})

describe('a prompt log that breaks while running', () => {
  let gw: TestGateway
  let file: string
  beforeAll(async () => {
    const base = join(tempDir('sb-plog-'), 'prompts')
    file = `${base}-2026-03-04.log`
    gw = await startGateway({ PROMPT_LOG_MODE: 'file', PROMPT_LOG_BASE_NAME: base }, { now: () => NOW })
  })
  afterAll(() => gw.stop())

  test('the file is created readable by its owner only, and records the prompt', async () => {
    expect((await post(gw, '/v1/chat/completions', chat)).status).toBe(200)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toContain('prompt="remember me"')
  })

  test('write errors: every request still answers, one error is logged, and writing resumes when it can', async () => {
    // A folder in the file's place makes every append fail, even for root.
    rmSync(file)
    mkdirSync(file)
    for (let i = 0; i < 3; i++) {
      expect((await post(gw, '/v1/chat/completions', chat)).status).toBe(200)
      const stream = await post(gw, '/v1/chat/completions', { ...chat, stream: true })
      expect(stream.status).toBe(200)
      expect(await stream.text()).toContain('[DONE]')
    }
    expect(gw.logs.filter((line) => line.includes('prompt log: cannot write'))).toHaveLength(1)
    rmdirSync(file)
    expect((await post(gw, '/v1/chat/completions', chat)).status).toBe(200)
    expect(existsSync(file)).toBe(true)
    expect(gw.logs.some((line) => line.includes('prompt log: writing to'))).toBe(true)
  })
})
