// Startup refuses configurations that would open the gateway or share its port, and says
// why in one line (exit 2). Requests go over raw TCP to the process the CLI started.
import { afterAll, describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from '../helpers/cli.ts'
import { rawRequest, rawText } from '../helpers/raw-http.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const running: Array<() => Promise<number>> = []
afterAll(async () => {
  await Promise.all(running.map((stop) => stop()))
})

const PORT_ZERO = ['--port', '0']

function withConfig(values: Record<string, unknown>): string {
  const cwd = tempDir('sb-guard-')
  writeFileSync(join(cwd, 'config.json'), JSON.stringify(values))
  return cwd
}

describe('REQUIRED_API_KEY', () => {
  test.each([
    ['an empty --api-key', ['--api-key', ''], undefined],
    ['a whitespace --api-key', ['--api-key', '   '], undefined],
    ['an empty key in config.json', [], { REQUIRED_API_KEY: '' }],
    ['a whitespace key in config.json', [], { REQUIRED_API_KEY: ' \t ' }],
    ['a key with surrounding spaces', ['--api-key', ' padded-key-1234567 '], undefined],
  ])('%s is refused at startup with exit 2', async (_name, args, config) => {
    const run = await runCli([...PORT_ZERO, ...args], config ? withConfig(config) : undefined)
    if (!run.exited) running.push(run.stop)
    expect(run.exited).toBe(true)
    if (!run.exited) return
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('REQUIRED_API_KEY')
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
  })

  test('a short key such as 123456 starts, with a warning in the banner, and only that key gets in', async () => {
    const run = await runCli([...PORT_ZERO, '--api-key', '123456'])
    expect(run.exited).toBe(false)
    if (run.exited) return
    running.push(run.stop)
    expect(run.banner).toContain('warning: REQUIRED_API_KEY has only 6 characters')
    const get = (target: string, headers: string[] = []) => rawRequest(run.port, rawText(`GET ${target} HTTP/1.1`, ['Host: localhost', ...headers]))
    expect((await get('/pools', ['Authorization: Bearer 123456'])).status).toBe(200)
    expect((await get('/pools?key=123456')).status).toBe(200)
    expect((await get('/pools?key=+++')).status).toBe(401)
    expect((await get('/pools', ['Authorization: Bearer '])).status).toBe(401)
  })

  test('a long key starts without the warning', async () => {
    const run = await runCli([...PORT_ZERO, '--api-key', 'a-long-enough-client-key'])
    expect(run.exited).toBe(false)
    if (run.exited) return
    running.push(run.stop)
    expect(run.banner).not.toContain('warning')
  })
})

describe('one gateway per port', () => {
  test('a second gateway on a busy port exits 2 with "port N is in use", and the first keeps all the traffic', async () => {
    const first = await runCli([...PORT_ZERO, '--api-key', 'first-gateway-key-123'])
    expect(first.exited).toBe(false)
    if (first.exited) return
    running.push(first.stop)
    const second = await runCli(['--port', String(first.port), '--api-key', 'second-gateway-key-12'])
    if (!second.exited) running.push(second.stop)
    expect(second.exited).toBe(true)
    if (!second.exited) return
    expect(second.code).toBe(2)
    expect(second.stderr.trim()).toBe(`switchboard: port ${first.port} is in use on 127.0.0.1; stop the other server or pick another --port`)
    expect(second.stdout).not.toContain('listening')
    for (let i = 0; i < 10; i++) {
      const answer = await rawRequest(first.port, rawText('GET /pools HTTP/1.1', ['Host: localhost', 'Authorization: Bearer first-gateway-key-123']))
      expect(answer.status).toBe(200)
    }
  })
})

describe('PROMPT_LOG_MODE=file', () => {
  test('an unwritable prompt log path exits 2 naming the file', async () => {
    const cwd = tempDir('sb-guard-')
    writeFileSync(join(cwd, 'not-a-folder'), '')
    const run = await runCli(
      [...PORT_ZERO, '--api-key', 'a-long-enough-client-key', '--log-prompts', 'file', '--prompt-log-base-name', 'not-a-folder/prompts'],
      cwd,
    )
    if (!run.exited) running.push(run.stop)
    expect(run.exited).toBe(true)
    if (!run.exited) return
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/^switchboard: PROMPT_LOG_MODE=file: cannot write the prompt log \S*not-a-folder\/prompts-\d{4}-\d{2}-\d{2}\.log \(ENOTDIR\)/)
  })
})
