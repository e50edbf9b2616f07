// Model prefixes, MODEL_ROUTES and the model lists through a running gateway, driven by the
// three official SDKs: the fakes' journals show which provider got the request and with
// which model name.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import OpenAI from 'openai'
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic/index.ts'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { post, startGateway, type TestGateway } from '../helpers/gateway.ts'

let openaiFake: FakeOpenAI
let anthropicFake: FakeAnthropic
let gw: TestGateway

beforeAll(async () => {
  openaiFake = await startFakeOpenAI({ apiKey: 'sk-routing-openai-key' })
  anthropicFake = await startFakeAnthropic({ apiKey: 'sk-ant-routing-key' })
  gw = await startGateway({
    MODEL_PROVIDER: 'local-echo',
    OPENAI_API_KEY: 'sk-routing-openai-key',
    OPENAI_BASE_URL: openaiFake.url,
    CLAUDE_API_KEY: 'sk-ant-routing-key',
    CLAUDE_BASE_URL: anthropicFake.url,
    MODEL_ROUTES: {
      fast: { provider: 'openai-custom', model: 'gpt-4o-mini' },
      'claude-*': 'claude-custom',
      'meta-llama/*': 'openai-custom',
    },
  })
})
afterAll(async () => {
  await gw.stop()
  await openaiFake.stop()
  await anthropicFake.stop()
})

const lastModel = (fake: FakeOpenAI | FakeAnthropic) => (fake.journal.at(-1)?.json as { model?: string } | undefined)?.model
const openai = (base = `${gw.url}/v1`) => new OpenAI({ baseURL: base, apiKey: gw.key, maxRetries: 0 })
const anthropic = () => new Anthropic({ baseURL: gw.url, apiKey: gw.key, maxRetries: 0 })
const gemini = () => new GoogleGenAI({ apiKey: gw.key, httpOptions: { baseUrl: gw.url } })

async function providerOf(res: Promise<{ response: Response }>): Promise<string | null> {
  return (await res).response.headers.get('x-switchboard-provider')
}

describe('model prefix', () => {
  test('`openai-custom/gpt-4o` from an OpenAI client selects openai-custom, which receives `gpt-4o`', async () => {
    const call = openai()
      .chat.completions.create({ model: 'openai-custom/gpt-4o', messages: [{ role: 'user', content: 'prefix' }] })
      .withResponse()
    const { data, response } = await call
    expect(response.headers.get('x-switchboard-provider')).toBe('openai-custom')
    expect(data.choices[0]?.message.content).toBe('echo: prefix')
    expect(lastModel(openaiFake)).toBe('gpt-4o')
  })

  test('from the Gemini SDK, the unencoded `provider/model` path selects the provider, streamed too', async () => {
    const answer = await gemini().models.generateContent({ model: 'openai-custom/gpt-4o', contents: 'gemini prefix' })
    expect(answer.text).toBe('echo: gemini prefix')
    expect(lastModel(openaiFake)).toBe('gpt-4o')
    let text = ''
    for await (const chunk of await gemini().models.generateContentStream({ model: 'claude-custom/claude-sonnet-4-5', contents: 'streamed' }))
      text += chunk.text ?? ''
    expect(text).toBe('echo: streamed')
    expect(lastModel(anthropicFake)).toBe('claude-sonnet-4-5')
  })

  test('a `/` after an unknown prefix is a plain model id: `meta-llama/Llama-3.3-70B` reaches its route unchanged', async () => {
    const provider = await providerOf(
      openai()
        .chat.completions.create({ model: 'meta-llama/Llama-3.3-70B', messages: [{ role: 'user', content: 'hi' }] })
        .withResponse(),
    )
    expect(provider).toBe('openai-custom')
    expect(lastModel(openaiFake)).toBe('meta-llama/Llama-3.3-70B')
  })
})

describe('MODEL_ROUTES in every dialect', () => {
  test('the alias `fast` reaches openai-custom as gpt-4o-mini from the OpenAI SDK, streamed', async () => {
    const stream = await openai().chat.completions.create({ model: 'fast', stream: true, messages: [{ role: 'user', content: 'alias stream' }] })
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe('echo: alias stream')
    expect(lastModel(openaiFake)).toBe('gpt-4o-mini')
  })

  test('the alias from the Anthropic SDK is converted to OpenAI and renamed', async () => {
    const { data, response } = await anthropic()
      .messages.create({ model: 'fast', max_tokens: 64, messages: [{ role: 'user', content: 'alias ant' }] })
      .withResponse()
    expect(response.headers.get('x-switchboard-provider')).toBe('openai-custom')
    expect(data.content[0]?.type === 'text' && data.content[0].text).toBe('echo: alias ant')
    expect(lastModel(openaiFake)).toBe('gpt-4o-mini')
  })

  test('the alias from the Gemini SDK (model in the path)', async () => {
    const answer = await gemini().models.generateContent({ model: 'fast', contents: 'alias gem' })
    expect(answer.text).toBe('echo: alias gem')
    expect(lastModel(openaiFake)).toBe('gpt-4o-mini')
  })

  test('a glob sends Anthropic clients through untouched and converts OpenAI clients', async () => {
    const before = anthropicFake.journal.length
    const body = JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 32, messages: [{ role: 'user', content: 'glob  bytes' }] })
    const res = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': gw.key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
      body,
    })
    expect(res.headers.get('x-switchboard-provider')).toBe('claude-custom')
    expect(anthropicFake.journal[before]?.rawBody).toBe(body)
    const converted = await openai().chat.completions.create({ model: 'claude-3-5-haiku-20241022', messages: [{ role: 'user', content: 'glob oai' }] })
    expect(converted.choices[0]?.message.content).toBe('echo: glob oai')
    expect(lastModel(anthropicFake)).toBe('claude-3-5-haiku-20241022')
  })

  test('no route matches: the default provider answers', async () => {
    expect(
      await providerOf(
        openai()
          .chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })
          .withResponse(),
      ),
    ).toBe('local-echo')
  })

  test('path and header still beat routes and prefixes', async () => {
    const byPath = openai(`${gw.url}/local-echo/v1`).chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'x' }] })
    expect(await providerOf(byPath.withResponse())).toBe('local-echo')
    const byHeader = await post(
      gw,
      '/v1/chat/completions',
      { model: 'openai-custom/gpt-4o', messages: [{ role: 'user', content: 'x' }] },
      { 'model-provider': 'local-echo' },
    )
    expect(byHeader.headers.get('x-switchboard-provider')).toBe('local-echo')
  })
})

describe('model lists for pickers', () => {
  test('GET /v1/models without a selection: the default provider, exact route names and <provider>/<model> for every configured provider', async () => {
    const ids = (await openai().models.list()).data.map((model) => model.id)
    expect(ids).toContain('local-echo')
    expect(ids).toContain('fast')
    expect(ids).not.toContain('claude-*')
    for (const id of ['openai-custom/gpt-4o-mini', 'openai-custom/gpt-4o', 'claude-custom/claude-sonnet-4-5-20250929', 'local-echo/local-echo'])
      expect(ids).toContain(id)
    expect(ids.some((id) => id.startsWith('gemini-cli-oauth/'))).toBe(false)
  })

  test('the Anthropic shape lists the same union', async () => {
    const ids = (await anthropic().models.list()).data.map((model) => model.id)
    expect(ids).toContain('fast')
    expect(ids).toContain('openai-custom/gpt-4o')
  })

  test('/v1beta/models lists the union as Gemini model names', async () => {
    const names: string[] = []
    for await (const model of await gemini().models.list()) names.push(model.name ?? '')
    expect(names).toContain('models/fast')
    expect(names).toContain('models/claude-custom/claude-opus-4-1-20250805')
  })

  test('with a path or header selection, the list stays that provider’s own', async () => {
    const byPath = (await openai(`${gw.url}/openai-custom/v1`).models.list()).data.map((model) => model.id)
    expect(byPath).toEqual(['gpt-4o-mini', 'gpt-4o'])
    const byHeader = await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${gw.key}`, 'model-provider': 'local-echo' } })
    expect(((await byHeader.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id)).toEqual(['local-echo'])
  })

  test('retrieving a listed `<provider>/<model>` id or an alias answers under that id', async () => {
    expect((await openai().models.retrieve('openai-custom/gpt-4o')).id).toBe('openai-custom/gpt-4o')
    expect((await openai().models.retrieve('fast')).id).toBe('fast')
    const raw = await fetch(`${gw.url}/v1/models/openai-custom/gpt-4o`, { headers: { authorization: `Bearer ${gw.key}` } })
    expect(((await raw.json()) as { id: string }).id).toBe('openai-custom/gpt-4o')
  })
})

describe('the AI SDK Google provider’s resource paths', () => {
  const generate = (path: string) =>
    fetch(`${gw.url}${path}`, {
      method: 'POST',
      headers: { 'x-goog-api-key': gw.key, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'resource path' }] }] }),
    })

  test('`/v1beta/<provider>/<model>:generateContent` (a model id with a `/`, sent without `models/`) selects the provider', async () => {
    const res = await generate('/v1beta/openai-custom/gpt-4o:generateContent')
    expect(res.status).toBe(200)
    expect(res.headers.get('x-switchboard-provider')).toBe('openai-custom')
    expect(lastModel(openaiFake)).toBe('gpt-4o')
  })

  test('any other first segment is no route', async () => {
    const res = await generate('/v1beta/tunedModels/x:generateContent')
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('Not Found: no route POST /v1beta/tunedModels/x:generateContent')
  })
})
