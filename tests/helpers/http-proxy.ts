// A small forward proxy for tests, on 127.0.0.1: absolute-form HTTP requests
// (`GET http://host:port/path`) are forwarded one per connection, CONNECT opens a raw
// tunnel (what HTTPS targets use). It records every request with its Proxy-Authorization
// and can demand credentials (407 without them).
import { connect, createServer, type Socket } from 'node:net'

export interface ProxyRecord {
  method: string
  /** The absolute URL, or `host:port` for CONNECT. */
  target: string
  proxyAuthorization?: string
}

export interface TestProxy {
  /** `http://127.0.0.1:<port>` */
  origin: string
  port: number
  records: ProxyRecord[]
  stop(): Promise<void>
}

const HEAD_END = '\r\n\r\n'

export async function startTestProxy(options: { user?: string; password?: string } = {}): Promise<TestProxy> {
  const records: ProxyRecord[] = []
  const expected = options.user === undefined ? undefined : `Basic ${Buffer.from(`${options.user}:${options.password ?? ''}`).toString('base64')}`
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => client.destroy())
    let buffered = Buffer.alloc(0)
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk])
      const end = buffered.indexOf(HEAD_END)
      if (end === -1) return
      client.off('data', onData)
      const head = buffered.subarray(0, end).toString('latin1')
      const rest = buffered.subarray(end + HEAD_END.length)
      handle(client, head, rest)
    }
    client.on('data', onData)
  })

  function handle(client: Socket, head: string, rest: Buffer): void {
    const [requestLine = '', ...headerLines] = head.split('\r\n')
    const [method = '', target = ''] = requestLine.split(' ')
    const auth = headerLines.find((line) => line.toLowerCase().startsWith('proxy-authorization:'))
    const proxyAuthorization = auth?.slice(auth.indexOf(':') + 1).trim()
    records.push({ method, target, ...(proxyAuthorization ? { proxyAuthorization } : {}) })
    if (expected !== undefined && proxyAuthorization !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nproxy-authenticate: Basic realm="test"\r\ncontent-length: 0\r\nconnection: close\r\n\r\n')
      return
    }
    if (method === 'CONNECT') {
      const [host = '', port = ''] = target.split(':')
      const upstream = tunnelTo(client, host, Number(port))
      upstream.on('connect', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        if (rest.length > 0) upstream.write(rest)
        client.pipe(upstream)
        upstream.pipe(client)
      })
      return
    }
    const url = new URL(target)
    const upstream = tunnelTo(client, url.hostname, Number(url.port || 80))
    // One request per connection: the next one comes on a new connection and gets recorded too.
    const headers = headerLines.filter((line) => !/^(proxy-authorization|proxy-connection|connection|keep-alive):/i.test(line))
    upstream.on('connect', () => {
      upstream.write(`${method} ${url.pathname}${url.search} HTTP/1.1\r\n${[...headers, 'connection: close'].join('\r\n')}${HEAD_END}`)
      if (rest.length > 0) upstream.write(rest)
      client.pipe(upstream)
      upstream.pipe(client)
    })
  }

  function tunnelTo(client: Socket, host: string, port: number): Socket {
    const upstream = connect(port, host)
    sockets.add(upstream)
    upstream.on('close', () => {
      sockets.delete(upstream)
      client.end()
    })
    upstream.on('error', () => client.destroy())
    client.on('close', () => upstream.destroy())
    return upstream
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    records,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
