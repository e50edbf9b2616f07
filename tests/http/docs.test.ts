// /swagger/json documents every route with its request schema, and each documented example
// body gets a real answer from local-echo (what "Try it out" sends).
import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startGateway, type TestGateway } from '../helpers/gateway.ts'

let gw: TestGateway
beforeAll(async () => {
  gw = await startGateway()
})
afterAll(() => gw.stop())

interface Operation {
  requestBody?: { content: Record<string, { schema: { examples?: unknown[]; example?: unknown } }> }
}
type Spec = { paths: Record<string, Record<string, Operation>> }

test('every client route is documented with its request schema', async () => {
  const spec = (await (await fetch(`${gw.url}/swagger/json`)).json()) as Spec
  const posts = [
    '/v1/chat/completions',
    '/v1/messages',
    '/v1/messages/count_tokens',
    '/v1beta/models/{model}',
    '/{provider}/v1/chat/completions',
    '/v1/responses',
    '/{provider}/v1/responses',
  ]
  for (const path of posts) expect(spec.paths[path]?.post?.requestBody?.content['application/json']?.schema).toBeDefined()
  for (const path of ['/v1/models', '/v1beta/models', '/health', '/pools', '/v1/responses/{id}']) expect(spec.paths[path]?.get).toBeDefined()
})

test('each documented example body gets an answer from local-echo', async () => {
  const spec = (await (await fetch(`${gw.url}/swagger/json`)).json()) as Spec
  const routes: Array<[string, string]> = [
    ['/v1/chat/completions', '/v1/chat/completions'],
    ['/v1/messages', '/v1/messages'],
    ['/v1/messages/count_tokens', '/v1/messages/count_tokens'],
    ['/v1/responses', '/v1/responses'],
    ['/v1beta/models/{model}', '/v1beta/models/gemini-2.5-flash:generateContent'],
  ]
  for (const [documented, actual] of routes) {
    const schema = spec.paths[documented]?.post?.requestBody?.content['application/json']?.schema
    const example = schema?.examples?.[0] ?? schema?.example
    expect(example).toBeDefined()
    const res = await fetch(`${gw.url}${actual}`, {
      method: 'POST',
      headers: { 'x-api-key': gw.key, 'content-type': 'application/json' },
      body: JSON.stringify(example),
    })
    expect(res.status).toBe(200)
  }
})
