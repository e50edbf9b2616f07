// A real redis-server (Debian package `redis-server`; .ci/run installs it) on a free
// loopback port, with nothing saved to disk. Ready when the server says so on stdout.
import { describe } from 'bun:test'
import { RedisClient } from 'bun'

const installed = Bun.which('redis-server') !== null
if (!installed) console.warn("redis-server not found (Debian package 'redis-server'; .ci/run installs it): the replica tests are skipped")
/** `describe`, skipped (with a warning) where redis-server is not installed. */
export const describeWithRedis = describe.skipIf(!installed)

export interface TestRedis {
  port: number
  url: string
  /** A plain client for assertions. */
  client(): RedisClient
  /** Kills the server (as a crash would). */
  kill(): Promise<void>
  /** Starts it again on the same port (empty: nothing was saved). */
  restart(): Promise<void>
  stop(): Promise<void>
}

export async function startRedis(): Promise<TestRedis> {
  if (Bun.which('redis-server') === null) throw new Error('redis-server is not installed: apt-get install -y redis-server (.ci/run does it)')
  const port = freePort()
  let server = await launch(port)
  const clients: RedisClient[] = []
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    client() {
      const client = new RedisClient(`redis://127.0.0.1:${port}`)
      clients.push(client)
      return client
    },
    async kill() {
      server.kill('SIGKILL')
      await server.exited
    },
    async restart() {
      server = await launch(port)
    },
    async stop() {
      for (const client of clients) client.close()
      server.kill('SIGKILL')
      await server.exited
    },
  }
}

function freePort(): number {
  const probe = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const { port } = probe
  probe.stop(true)
  return port
}

async function launch(port: number): Promise<Bun.Subprocess<'ignore', 'pipe', 'pipe'>> {
  const server = Bun.spawn(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'notice'], {
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const decoder = new TextDecoder()
  let seen = ''
  const reader = server.stdout.getReader()
  while (!seen.includes('Ready to accept connections')) {
    const { done, value } = await reader.read()
    if (done) throw new Error(`redis-server on port ${port} exited before it was ready: ${seen.slice(-500)}`)
    seen += decoder.decode(value, { stream: true })
  }
  // Keep draining so the server never blocks on a full pipe.
  void (async () => {
    while (!(await reader.read()).done) {}
  })()
  return server
}
