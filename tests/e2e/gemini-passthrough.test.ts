// Gemini clients on gemini-cli-oauth: same dialect, so the (unwrapped) upstream answer
// passes through; the non-SSE stream form is re-encoded as a streamed JSON array.
import { GoogleGenAI } from '@google/genai'
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startGoogleFake, type GoogleFake } from '../fakes/google/index.ts'
import { startGateway, type TestGateway } from '../helpers/gateway.ts'
import { tempDir } from '../helpers/temp-dir.ts'

let fake: GoogleFake
let gw: TestGateway

beforeAll(async () => {
  fake = startGoogleFake()
  const { accessToken, refreshToken } = fake.authority.login()
  const creds = join(tempDir('sb-gem-'), 'oauth_creds.json')
  writeFileSync(creds, JSON.stringify({ access_token: accessToken, refresh_token: refreshToken, token_type: 'Bearer', expiry_date: Date.now() + 3_600_000 }))
  gw = await startGateway({
    MODEL_PROVIDER: 'gemini-cli-oauth',
    GEMINI_OAUTH_CREDS_FILE_PATH: creds,
    GEMINI_OAUTH_TOKEN_URL: fake.tokenUrl,
    GEMINI_BASE_URL: fake.codeAssistUrl,
  })
})
afterAll(async () => {
  await gw.stop()
  fake.stop()
})

const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hola 🌍' }] }] })
const post = (path: string) => fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'x-goog-api-key': gw.key, 'content-type': 'application/json' }, body })

test('the Gemini SDK gets plain Gemini answers, stream and not', async () => {
  const client = new GoogleGenAI({ apiKey: gw.key, httpOptions: { baseUrl: gw.url } })
  const res = await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hola 🌍' })
  expect(res.text).toContain('hola 🌍')
  let streamed = ''
  for await (const chunk of await client.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hola 🌍' })) streamed += chunk.text ?? ''
  expect(streamed).toBe(res.text ?? '')
})

test('the envelope reaches the upstream and never the client', async () => {
  const text = await (await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse')).text()
  expect(text).not.toContain('"traceId"')
  expect(text).toContain('"finishReason"')
  const sent = fake.calls('streamGenerateContent').at(-1)
  expect(sent?.json).toMatchObject({ model: 'gemini-2.5-flash', project: 'fake-proj-1', request: { contents: [{ parts: [{ text: 'hola 🌍' }] }] } })
})

test('streamGenerateContent without alt=sse answers a JSON array of chunks', async () => {
  const res = await post('/v1beta/models/gemini-2.5-flash:streamGenerateContent')
  expect(res.headers.get('content-type')).toContain('application/json')
  const chunks = (await res.json()) as Array<{ candidates?: Array<{ content: { parts: Array<{ text?: string }> } }> }>
  expect(Array.isArray(chunks)).toBe(true)
  expect(chunks.map((chunk) => chunk.candidates?.[0]?.content.parts.map((part) => part.text ?? '').join('') ?? '').join('')).toContain('hola 🌍')
})
