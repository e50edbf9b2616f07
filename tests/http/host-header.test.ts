// Auth is decided from the path the router serves, whatever the Host header and the request
// target look like: spoken over raw TCP, since no HTTP client sends these requests.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startGateway, type TestGateway } from '../helpers/gateway.ts'
import { rawRequest, rawText } from '../helpers/raw-http.ts'

let gw: TestGateway
beforeAll(async () => {
  gw = await startGateway()
})
afterAll(() => gw.stop())

const chat = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
const gemini = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] })

/** Every route that needs a key, with a body it would answer 200 to. */
const PROTECTED: Array<[method: string, path: string, body: string]> = [
  ['GET', '/pools', ''],
  ['GET', '/v1/models', ''],
  ['GET', '/v1beta/models', ''],
  ['POST', '/v1/chat/completions', chat],
  ['POST', '/local-echo/v1/chat/completions', chat],
  ['POST', '/v1/messages', JSON.stringify({ model: 'm', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] })],
  ['POST', '/v1/messages/count_tokens', JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })],
  ['POST', '/v1beta/models/g:generateContent', gemini],
]

/** Ways to dress a protected path up as a public one, and what each must get. */
const DISGUISES: Array<[name: string, status: number, request: (method: string, path: string) => [line: string, headers: string[]]]> = [
  ['no Host (HTTP/1.1)', 400, (m, p) => [`${m} ${p} HTTP/1.1`, []]],
  ['no Host (HTTP/1.0)', 400, (m, p) => [`${m} ${p} HTTP/1.0`, []]],
  ['empty Host', 400, (m, p) => [`${m} ${p} HTTP/1.1`, ['Host:']]],
  ['bad Host', 400, (m, p) => [`${m} ${p} HTTP/1.1`, ['Host: a b']]],
  ['Host with a slash', 400, (m, p) => [`${m} ${p} HTTP/1.1`, ['Host: a/health']]],
  ['// in the query, no Host', 400, (m, p) => [`${m} ${p}?a=//x/health HTTP/1.1`, []]],
  ['// in the query, bad Host', 400, (m, p) => [`${m} ${p}?a=//x/health HTTP/1.1`, ['Host: a b']]],
  ['// in the query, HTTP/1.0', 400, (m, p) => [`${m} ${p}?a=//x/health HTTP/1.0`, []]],
  ['// in the query, valid Host', 401, (m, p) => [`${m} ${p}?a=//x/health HTTP/1.1`, ['Host: localhost']]],
  ['dot segments, bad Host', 400, (m, p) => [`${m} /x/health/..${p} HTTP/1.1`, ['Host: a b']]],
  ['dot segments, valid Host', 401, (m, p) => [`${m} /health/..${p} HTTP/1.1`, ['Host: localhost']]],
  ['encoded dot segments', 401, (m, p) => [`${m} /swagger/%2e%2e${p} HTTP/1.1`, ['Host: localhost']]],
  ['absolute-form naming /health', 401, (m, p) => [`${m} http://localhost/health/..${p} HTTP/1.1`, ['Host: localhost']]],
  ['absolute-form, other host', 401, (m, p) => [`${m} http://evil.example${p} HTTP/1.1`, ['Host: localhost']]],
]

describe('a protected route never answers without a key', () => {
  for (const [method, path, body] of PROTECTED) {
    test.each(DISGUISES)(`${method} ${path}: %s → %d`, async (_name, status, request) => {
      const [line, headers] = request(method, path)
      const answer = await rawRequest(gw.port, rawText(line, headers, method === 'POST' ? body : ''))
      expect(answer.status).toBe(status)
    })

    test(`${method} ${path}: encoded slashes after a public path are not that path`, async () => {
      const encoded = `/health${path.replaceAll('/', '%2f')}`
      const answer = await rawRequest(gw.port, rawText(`${method} ${encoded} HTTP/1.1`, ['Host: localhost'], method === 'POST' ? body : ''))
      expect(answer.status).toBe(401)
    })
  }

  test('the same requests with the key and a valid Host get their answer (the table is not all refusals)', async () => {
    for (const [method, path, body] of PROTECTED) {
      const answer = await rawRequest(
        gw.port,
        rawText(`${method} ${path} HTTP/1.1`, ['Host: localhost', `Authorization: Bearer ${gw.key}`], method === 'POST' ? body : ''),
      )
      expect(`${path} ${answer.status}`).toBe(`${path} 200`)
    }
  })
})

describe('public routes', () => {
  test('GET /health over HTTP/1.0 without Host answers 200 (load balancer health checks send exactly that)', async () => {
    const answer = await rawRequest(gw.port, 'GET /health HTTP/1.0\r\n\r\n')
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'healthy' })
  })

  test.each(['/health', '/swagger', '/swagger/json'])('GET %s with a valid Host answers 200 without a key', async (path) => {
    expect((await rawRequest(gw.port, rawText(`GET ${path} HTTP/1.1`, ['Host: localhost']))).status).toBe(200)
  })

  test.each([
    ['no Host (HTTP/1.1)', 'GET /health HTTP/1.1', []],
    ['empty Host', 'GET /health HTTP/1.1', ['Host:']],
    ['bad Host', 'GET /health HTTP/1.1', ['Host: a b']],
    ['docs over HTTP/1.0 without Host', 'GET /swagger/json HTTP/1.0', []],
  ])('%s → 400', async (_name, line, headers) => {
    expect((await rawRequest(gw.port, rawText(line, headers as string[]))).status).toBe(400)
  })

  test.each(['//health', '/health/', '/health%2f', '/swagger/json/..%2f..%2fpools', '/HEALTH'])('%s is not a public path', async (path) => {
    const answer = await rawRequest(gw.port, rawText(`GET ${path} HTTP/1.1`, ['Host: localhost']))
    expect(answer.status).toBe(401)
  })
})
