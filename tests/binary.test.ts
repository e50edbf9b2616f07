// The compiled single binary: built into a temp folder, run from there (no node_modules,
// no config.json), it serves /health, an offline /swagger and /dashboard, /metrics, exports
// OpenTelemetry spans, and stops cleanly on SIGTERM.
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { join } from 'node:path'
import { buildArgs } from '../scripts/build.ts'
import { tempDir } from './helpers/temp-dir.ts'

const dir = tempDir('sb-bin-')
const binary = join(dir, 'switchboard')
let server: ReturnType<typeof Bun.spawn> | undefined
let url = ''
/** An OTLP/HTTP receiver: the binary's span exports land here. */
const exports: string[] = []
const receiver = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  async fetch(request) {
    exports.push(await request.text())
    return Response.json({})
  },
})

beforeAll(async () => {
  const build = Bun.spawnSync([process.execPath, ...buildArgs(binary)], { cwd: join(import.meta.dir, '..'), stderr: 'pipe' })
  if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr.toString()}`)
  server = Bun.spawn([binary, '--port', '0', '--api-key', 'binary-test-key'], {
    cwd: dir,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiver.port}` },
  })
  const reader = (server.stdout as ReadableStream<Uint8Array>).getReader()
  let banner = ''
  while (!/listening on (http:\/\/\S+)/.test(banner)) {
    const { value, done } = await reader.read()
    if (done) throw new Error(`binary exited before listening: ${banner}`)
    banner += new TextDecoder().decode(value)
  }
  url = (/listening on (http:\/\/\S+)/.exec(banner) as RegExpExecArray)[1] as string
  reader.releaseLock()
}, 60_000)

afterAll(() => {
  if (server && server.exitCode === null) server.kill('SIGKILL')
  receiver.stop(true)
})

test('the binary serves /health from any folder', async () => {
  const res = await fetch(`${url}/health`)
  expect(res.status).toBe(200)
  expect(await res.json()).toMatchObject({ status: 'healthy', provider: 'local-echo' })
})

test('the binary serves /swagger with its own assets (no CDN) and /swagger/json', async () => {
  const page = await (await fetch(`${url}/swagger`)).text()
  expect(page).toContain('/swagger/assets/swagger-ui-bundle.js')
  expect(page).not.toMatch(/unpkg|jsdelivr|cdn\./)
  const bundle = await fetch(`${url}/swagger/assets/swagger-ui-bundle.js`)
  expect(bundle.status).toBe(200)
  expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000)
  const spec = (await (await fetch(`${url}/swagger/json`)).json()) as { paths: Record<string, unknown> }
  expect(Object.keys(spec.paths)).toContain('/v1/chat/completions')
})

test('the binary serves the embedded dashboard page and /metrics', async () => {
  const page = await fetch(`${url}/dashboard`)
  expect(page.status).toBe(200)
  expect(await page.text()).toContain('<title>switchboard dashboard</title>')
  const metrics = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer binary-test-key' } })
  expect(await metrics.text()).toContain('# TYPE process_resident_memory_bytes gauge')
})

test('the binary answers a chat request and stops on SIGTERM with exit code 0', async () => {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer binary-test-key', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'ping' }] }),
  })
  expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content).toBe('ping')
  server?.kill('SIGTERM')
  expect(await server?.exited).toBe(0)
})

test('the binary exported the chat request as spans over OTLP before it exited', () => {
  const all = exports.join('\n')
  expect(all).toContain('"name":"POST /v1/chat/completions"')
  expect(all).toContain('"name":"upstream attempt"')
})
