// Raw HTTP/1.x over TCP, for requests no HTTP client will send (no Host, bad Host,
// absolute-form targets, unnormalised paths).
import { connect } from 'node:net'

export interface RawAnswer {
  status: number
  head: string
  body: string
}

/** Sends `text` (or bytes) as is, reads until the server closes, and splits the (UTF-8) answer. */
export function rawRequest(port: number, text: string | Uint8Array): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = connect(port, '127.0.0.1', () => socket.end(text))
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      const split = raw.indexOf('\r\n\r\n')
      const head = split === -1 ? raw : raw.slice(0, split)
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), head, body: split === -1 ? '' : raw.slice(split + 4) })
    })
  })
}

/** A request line plus headers (each `name: value`), ending the connection after the answer. */
export function rawText(requestLine: string, headers: string[] = [], body = ''): string {
  const lines = [requestLine, ...headers, 'Connection: close']
  if (body !== '') lines.push(`Content-Length: ${Buffer.byteLength(body)}`, 'Content-Type: application/json')
  return `${lines.join('\r\n')}\r\n\r\n${body}`
}
