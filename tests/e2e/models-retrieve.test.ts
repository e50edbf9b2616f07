// `models.retrieve` of the official SDKs (and @google/genai's `models.get`): one model of
// the selected provider's list, in the client's dialect; 404 in that dialect when missing.
import Anthropic from '@anthropic-ai/sdk'
import { GoogleGenAI } from '@google/genai'
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { startGateway, type TestGateway } from '../helpers/gateway.ts'

const OPENAI_KEY = 'sk-upstream-openai-key-models'
let fake: FakeOpenAI
let gw: TestGateway

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: OPENAI_KEY, models: ['gpt-4o-mini', 'openai/gpt-4.1'] })
  gw = await startGateway({ OPENAI_API_KEY: OPENAI_KEY, OPENAI_BASE_URL: fake.url })
})
afterAll(async () => {
  await gw.stop()
  await fake.stop()
})

describe('GET /v1/models/{id}', () => {
  test('the OpenAI SDK retrieves a model in OpenAI shape', async () => {
    const openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.key })
    const model = await openai.models.retrieve('local-echo')
    expect(model).toMatchObject({ id: 'local-echo', object: 'model', owned_by: 'switchboard' })
    expect(typeof model.created).toBe('number')
  })

  test('the Anthropic SDK retrieves a model in Anthropic shape', async () => {
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: gw.key })
    const model = await anthropic.models.retrieve('local-echo')
    expect(model).toMatchObject({ type: 'model', id: 'local-echo', display_name: 'Local echo' })
    expect(model.created_at).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  test('@google/genai gets a model in Gemini shape', async () => {
    const gemini = new GoogleGenAI({ apiKey: gw.key, httpOptions: { baseUrl: gw.url, apiVersion: 'v1beta' } })
    const model = await gemini.models.get({ model: 'local-echo' })
    expect(model).toMatchObject({ name: 'models/local-echo', displayName: 'Local echo', inputTokenLimit: 1_000_000 })
  })

  test('an id with a slash, under a provider segment, is found in the upstream list', async () => {
    const openai = new OpenAI({ baseURL: `${gw.url}/openai-custom/v1`, apiKey: gw.key })
    expect((await openai.models.retrieve('openai/gpt-4.1')).id).toBe('openai/gpt-4.1')
  })

  test('a model the provider does not list is a 404 in the client dialect', async () => {
    const openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: gw.key, maxRetries: 0 })
    const error = await openai.models.retrieve('gpt-nope').catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(OpenAI.NotFoundError)
    expect((error as Error).message).toContain('gpt-nope')
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: gw.key, maxRetries: 0 })
    const claudeError = await anthropic.models.retrieve('claude-nope').catch((thrown: unknown) => thrown)
    expect(claudeError).toBeInstanceOf(Anthropic.NotFoundError)
    expect((claudeError as { error?: { type?: string } }).error?.type).toBe('error')
  })
})
