// A real redis-server (Debian package `redis-server`; .ci/run installs it) on a free
// loopback port, with nothing saved to disk. Ready when the server says so on stdout.
// Used by the replica tests and by `npm run bench:replicas`.
import { RedisClient } from 'bun'

export interface TestRedis {
  port: number
  url: string
  /** A plain client for assertions. */
  client(): RedisClient
  /** Kills the server (as a crash would). */
  kill(): Promise<void>
  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered. */
  pause(): void
  resume(): void
  /** Starts it again on the same port (empty: nothing was saved). */
  restart(): Promise<void>
  stop(): Promise<void>
}

export interface RedisOptions {
  /** requirepass: clients must authenticate. */
  password?: string
}

export async function startRedis(options: RedisOptions = {}): Promise<TestRedis> {
  if (Bun.which('redis-server') === null) throw new Error('redis-server is not installed: apt-get install -y redis-server (.ci/run does it)')
  const port = freePort()
  const extra = options.password === undefined ? [] : ['--requirepass', options.password]
  const auth = options.password === undefined ? '' : `:${options.password}@`
  let server = await launch(port, extra)
  const clients: RedisClient[] = []
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}`,
    client() {
      const client = new RedisClient(`redis://${auth}127.0.0.1:${port}`)
      clients.push(client)
      return client
    },
    async kill() {
      server.kill('SIGKILL')
      await server.exited
    },
    pause() {
      server.kill('SIGSTOP')
    },
    resume() {
      server.kill('SIGCONT')
    },
    async restart() {
      server = await launch(port, extra)
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

async function launch(port: number, extra: string[]): Promise<Bun.Subprocess<'ignore', 'pipe', 'pipe'>> {
  const argv = ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'notice', ...extra]
  const server = Bun.spawn(argv, {
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
