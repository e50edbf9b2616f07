// Errors quote client input cut to about 100 characters, and header values come back the
// way the client wrote them (UTF-8 decoded, other bytes escaped).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { clipInput, ECHO_MAX_CHARS, headerText, quoteInput } from '../../src/errors/echo.ts'
import { startGateway, type TestGateway } from '../helpers/gateway.ts'
import { rawRequest, rawText } from '../helpers/raw-http.ts'

describe('clipping', () => {
  test('short input is quoted whole; long input is cut with its real length', () => {
    expect(quoteInput('abc')).toBe('"abc"')
    expect(quoteInput('x'.repeat(10_000))).toBe(`"${'x'.repeat(ECHO_MAX_CHARS)}"… (10000 characters)`)
    expect(clipInput(`/${'y'.repeat(8_000)}`)).toBe(`/${'y'.repeat(ECHO_MAX_CHARS - 1)}… (8001 characters)`)
    expect(quoteInput(42)).toBe('42')
  })

  test('a cut never splits a character outside the basic plane', () => {
    const text = `${'a'.repeat(ECHO_MAX_CHARS - 1)}😀tail`
    expect(clipInput(text).startsWith(`${'a'.repeat(ECHO_MAX_CHARS - 1)}…`)).toBe(true)
  })

  test('header values: UTF-8 decoded, other bytes escaped, ASCII untouched', () => {
    const asBunGivesIt = (bytes: number[]) => String.fromCharCode(...bytes)
    expect(headerText(asBunGivesIt([...Buffer.from('prövider', 'utf8')]))).toBe('prövider')
    expect(headerText(asBunGivesIt([0x70, 0x72, 0xf6]))).toBe('pr\\xf6')
    expect(headerText('plain')).toBe('plain')
  })
})

describe('over the wire', () => {
  let gw: TestGateway
  beforeAll(async () => {
    gw = await startGateway()
  })
  afterAll(() => gw.stop())

  const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] })
  const keyed = () => ['Host: localhost', `Authorization: Bearer ${gw.key}`]
  const message = (text: string) => (JSON.parse(text) as { error: { message: string } }).error.message

  test('a 10 KB model-provider header comes back cut', async () => {
    const answer = await rawRequest(gw.port, rawText('POST /v1/chat/completions HTTP/1.1', [...keyed(), `model-provider: ${'x'.repeat(10_000)}`], body))
    expect(answer.status).toBe(400)
    expect(answer.body.length).toBeLessThan(600)
    expect(message(answer.body)).toStartWith(`unknown provider "${'x'.repeat(ECHO_MAX_CHARS)}"… (10000 characters) in model-provider header`)
  })

  test('an 8 KB path segment comes back cut', async () => {
    const answer = await rawRequest(gw.port, rawText(`POST /${'y'.repeat(8_000)}/v1/chat/completions HTTP/1.1`, keyed(), body))
    expect(answer.status).toBe(404)
    expect(answer.body.length).toBeLessThan(600)
    expect(message(answer.body)).toContain('… (8000 characters) is not a provider id')
  })

  test('an 8 KB unknown route comes back cut', async () => {
    const answer = await rawRequest(gw.port, rawText(`GET /${'z'.repeat(8_000)} HTTP/1.1`, keyed()))
    expect(answer.status).toBe(404)
    expect(answer.body.length).toBeLessThan(600)
  })

  /** A chat request whose model-provider header carries these exact bytes. */
  const withProviderBytes = (value: Buffer) =>
    Buffer.concat([
      Buffer.from(`POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${gw.key}\r\nmodel-provider: `),
      value,
      Buffer.from(`\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`),
    ])

  test('a UTF-8 model-provider header comes back as written; a byte that is not UTF-8 comes back escaped', async () => {
    const utf8 = await rawRequest(gw.port, withProviderBytes(Buffer.from('Prövider', 'utf8')))
    expect(utf8.status).toBe(400)
    expect(message(utf8.body)).toStartWith('unknown provider "Prövider" in model-provider header')
    const latin1 = await rawRequest(gw.port, withProviderBytes(Buffer.from('Pr\xf6vider', 'latin1')))
    expect(latin1.status).toBe(400)
    expect(message(latin1.body)).toStartWith('unknown provider "Pr\\\\xf6vider" in model-provider header')
  })
})
