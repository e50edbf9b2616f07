import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import Anthropic from '@anthropic-ai/sdk'
import { anthropicError, anthropicOverloaded, anthropicRateLimited, startFakeAnthropic, type FakeAnthropic } from './anthropic/index.ts'
import { framePayloads, sseFrames } from './shared/read-frames.ts'

let fake: FakeAnthropic
let client: Anthropic
/** Configured the way the gateway talks to Anthropic: x-api-key and version 2023-06-01. */
let gatewayLike: Anthropic

const KEY = 'sk-ant-test'
const GATEWAY_HEADERS = { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' }

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY })
  client = new Anthropic({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 })
  gatewayLike = new Anthropic({
    apiKey: null,
    authToken: null,
    baseURL: fake.url,
    maxRetries: 0,
    defaultHeaders: { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
  })
})
afterAll(() => fake.stop())

const user = (content: string) => [{ role: 'user' as const, content }]

async function rawPost(path: string, body: unknown, headers: Record<string, string> = GATEWAY_HEADERS): Promise<Response> {
  return fetch(`${fake.url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) })
}

type Event = {
  type: string
  index?: number
  delta?: Record<string, unknown>
  content_block?: Record<string, unknown>
  usage?: Record<string, number>
  message?: Record<string, unknown>
}

async function rawStream(): Promise<{ frames: ReturnType<typeof sseFrames>; events: Event[]; response: Response }> {
  const response = await rawPost('/v1/messages', { model: 'claude-x', max_tokens: 100, messages: user('hello'), stream: true })
  const frames = sseFrames(await response.text())
  return { frames, events: framePayloads(frames) as unknown as Event[], response }
}

describe('text answers', () => {
  test('a non-stream message echoes the last user turn with request-id and usage', async () => {
    const { data, response } = await gatewayLike.messages
      .create({ model: 'claude-x', max_tokens: 100, messages: [...user('first'), { role: 'assistant', content: 'ok' }, ...user('héllo 東京')] })
      .withResponse()
    expect(response.headers.get('request-id')).toStartWith('req_')
    const sent = fake.journal.at(-1)?.headers
    expect(sent?.['x-api-key']).toBe(KEY)
    expect(sent?.authorization).toBeUndefined()
    expect(sent?.['anthropic-version']).toBe('2023-06-01')
    expect(data.type).toBe('message')
    expect(data.content).toEqual([{ type: 'text', text: 'echo: héllo 東京' }] as typeof data.content)
    expect(data.stop_reason).toBe('end_turn')
    expect(data.usage.input_tokens).toBeGreaterThan(0)
    expect(data.usage.output_tokens).toBeGreaterThan(0)
  })

  test('the SDK with its own defaults (Bearer key, newer version) is served too', async () => {
    const message = await client.messages.create({ model: 'claude-x', max_tokens: 100, messages: user('hi') })
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'echo: hi' })
    const last = fake.journal.at(-1)
    expect(last?.headers.authorization).toBe(`Bearer ${KEY}`)
  })

  test('a stream follows the documented event order, each event: + data: + blank line', async () => {
    const { frames, events, response } = await rawStream()
    expect(response.headers.get('content-type')).toStartWith('text/event-stream')
    expect(response.headers.get('request-id')).toStartWith('req_')
    for (const [i, frame] of frames.entries()) expect(frame.event).toBe(events[i]?.type)
    const types = events.map((event) => event.type)
    expect(types.slice(0, 3)).toEqual(['message_start', 'ping', 'content_block_start'])
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop'])
    const deltas = events.filter((event) => event.type === 'content_block_delta')
    expect(deltas.length).toBeGreaterThan(1)
    expect(deltas.map((event) => event.delta?.text).join('')).toBe('echo: hello')
    const start = events[0]?.message as { usage: { input_tokens: number; output_tokens: number }; content: unknown[]; stop_reason: unknown }
    expect(start.content).toEqual([])
    expect(start.stop_reason).toBeNull()
    const messageDelta = events.at(-2)
    expect(messageDelta?.delta).toEqual({ stop_reason: 'end_turn', stop_sequence: null })
    expect(messageDelta?.usage?.output_tokens).toBeGreaterThan(start.usage.output_tokens)
  })

  test('the SDK accumulates a streamed text message', async () => {
    fake.enqueue({ kind: 'text', text: 'The quick brown fox' })
    const message = await gatewayLike.messages.stream({ model: 'claude-x', max_tokens: 100, messages: user('x') }).finalMessage()
    expect(message.content).toEqual([{ type: 'text', text: 'The quick brown fox' }] as typeof message.content)
    expect(message.usage.output_tokens).toBeGreaterThan(1)
  })

  test('length stops with stop_reason max_tokens', async () => {
    fake.enqueue({ kind: 'length' })
    const message = await gatewayLike.messages.create({ model: 'claude-x', max_tokens: 1, messages: user('x') })
    expect(message.stop_reason).toBe('max_tokens')
  })
})

describe('tool use', () => {
  const calls = [
    { name: 'get_weather', arguments: { location: 'San "Fran" \\ 東京 😀', unit: 'c' } },
    { name: 'get_time', arguments: {} },
  ]

  test('a non-stream message has tool_use blocks after the text and stop_reason tool_use', async () => {
    fake.enqueue({ kind: 'tool_calls', calls, text: 'Checking.' })
    const message = await gatewayLike.messages.create({ model: 'claude-x', max_tokens: 100, messages: user('x') })
    expect(message.stop_reason).toBe('tool_use')
    expect(message.content.map((block) => block.type)).toEqual(['text', 'tool_use', 'tool_use'])
    const uses = message.content.filter((block) => block.type === 'tool_use')
    expect(uses.map((block) => block.input)).toEqual(calls.map((call) => call.arguments))
    expect(uses.every((block) => block.id.startsWith('toolu_'))).toBe(true)
  })

  test('streamed input_json_delta fragments parse only once joined, and the SDK joins them', async () => {
    fake.enqueue({ kind: 'tool_calls', calls })
    const { events } = await rawStream()
    const starts = events.filter((event) => event.type === 'content_block_start')
    expect(starts.map((event) => event.content_block)).toEqual(
      calls.map((call) => ({ type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: call.name, input: {} })),
    )
    for (const start of starts) {
      const fragments = events
        .filter((event) => event.type === 'content_block_delta' && event.index === start.index)
        .map((event) => String(event.delta?.partial_json))
      expect(fragments[0]).toBe('')
      const pieces = fragments.slice(1)
      expect(pieces.length).toBeGreaterThan(1)
      for (const piece of pieces) expect(() => JSON.parse(piece)).toThrow()
      expect(JSON.parse(pieces.join(''))).toEqual(calls[start.index ?? -1]?.arguments ?? null)
    }
    expect(events.find((event) => event.type === 'message_delta')?.delta?.stop_reason).toBe('tool_use')

    fake.enqueue({ kind: 'tool_calls', calls })
    const message = await gatewayLike.messages.stream({ model: 'claude-x', max_tokens: 100, messages: user('x') }).finalMessage()
    expect(message.content.map((block) => block.type === 'tool_use' && block.input)).toEqual(calls.map((call) => call.arguments))
  })
})

describe('thinking', () => {
  test('a streamed thinking block ends with a signature_delta before the text block', async () => {
    fake.enqueue({ kind: 'thinking', thinking: '27 * 453 = 12231.', text: '12,231' })
    const { events } = await rawStream()
    const blockOf = (index: number) => events.filter((event) => event.index === index && event.type === 'content_block_delta').map((event) => event.delta)
    expect(events.find((event) => event.type === 'content_block_start' && event.index === 0)?.content_block).toEqual({ type: 'thinking', thinking: '' })
    const thinking = blockOf(0)
    expect(thinking.at(-1)?.type).toBe('signature_delta')
    expect(
      thinking
        .slice(0, -1)
        .map((delta) => delta?.thinking)
        .join(''),
    ).toBe('27 * 453 = 12231.')
    expect(
      blockOf(1)
        .map((delta) => delta?.text)
        .join(''),
    ).toBe('12,231')
  })

  test('the SDK returns a thinking block with its signature', async () => {
    fake.enqueue({ kind: 'thinking', thinking: 'hmm', text: 'yes' })
    const message = await gatewayLike.messages.stream({ model: 'claude-x', max_tokens: 100, messages: user('x') }).finalMessage()
    const [thinking, text] = message.content
    expect(thinking?.type === 'thinking' && thinking.thinking).toBe('hmm')
    expect(thinking?.type === 'thinking' && thinking.signature.length).toBeGreaterThan(0)
    expect(text).toMatchObject({ type: 'text', text: 'yes' })
  })
})

describe('errors', () => {
  test('429 carries retry-after, rate-limit headers and a request_id matching the header', async () => {
    fake.enqueue(anthropicRateLimited(7, 0))
    const error = (await gatewayLike.messages.create({ model: 'claude-x', max_tokens: 10, messages: user('x') }).catch((e: unknown) => e)) as InstanceType<
      typeof Anthropic.APIError
    >
    expect(error).toBeInstanceOf(Anthropic.RateLimitError)
    expect(error.status).toBe(429)
    expect(error.headers?.get('retry-after')).toBe('7')
    expect(error.headers?.get('anthropic-ratelimit-requests-reset')).toBe('1970-01-01T00:00:07Z')
    expect(error.requestID).toStartWith('req_')
    expect((error.error as { request_id: string }).request_id).toBe(error.requestID ?? '')
    expect((error.error as { error: { type: string } }).error.type).toBe('rate_limit_error')
  })

  test('529 is the SDK OverloadedError, 500 an api_error', async () => {
    fake.enqueue(anthropicOverloaded(), { kind: 'status', status: 500 })
    const overloaded = await gatewayLike.messages.create({ model: 'claude-x', max_tokens: 10, messages: user('x') }).catch((e: unknown) => e)
    expect(overloaded).toBeInstanceOf(Anthropic.OverloadedError)
    const internal = (await gatewayLike.messages.create({ model: 'claude-x', max_tokens: 10, messages: user('x') }).catch((e: unknown) => e)) as InstanceType<
      typeof Anthropic.APIError
    >
    expect(internal).toBeInstanceOf(Anthropic.InternalServerError)
    expect((internal.error as { error: { type: string } }).error.type).toBe('api_error')
  })

  test('a scripted 401 keeps its type and gains the request id', async () => {
    fake.enqueue(anthropicError(401, 'authentication_error', 'token expired'))
    const response = await rawPost('/v1/messages', { model: 'claude-x', max_tokens: 10, messages: user('x') })
    expect(response.status).toBe(401)
    const body = (await response.json()) as { type: string; error: { type: string; message: string }; request_id: string }
    expect(body).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'token expired' },
      request_id: response.headers.get('request-id') ?? '',
    })
  })

  test('a missing or wrong key is a 401 authentication_error', async () => {
    const { 'x-api-key': _, ...noKey } = GATEWAY_HEADERS
    for (const headers of [noKey, { ...GATEWAY_HEADERS, 'x-api-key': 'nope' }]) {
      const response = await rawPost('/v1/messages', { model: 'claude-x', max_tokens: 10, messages: user('x') }, headers)
      expect(response.status).toBe(401)
      expect(((await response.json()) as { error: { type: string } }).error.type).toBe('authentication_error')
    }
    const wrong = new Anthropic({ apiKey: 'nope', baseURL: fake.url, maxRetries: 0 })
    expect(await wrong.messages.create({ model: 'claude-x', max_tokens: 10, messages: user('x') }).catch((e: unknown) => e)).toBeInstanceOf(
      Anthropic.AuthenticationError,
    )
  })
})

describe('validation', () => {
  const expect400 = async (body: unknown, message: string, headers: Record<string, string> = GATEWAY_HEADERS) => {
    const response = await rawPost('/v1/messages', body, headers)
    expect(response.status).toBe(400)
    expect(response.headers.get('request-id')).toStartWith('req_')
    const payload = (await response.json()) as { type: string; error: { type: string; message: string }; request_id: string }
    expect(payload.type).toBe('error')
    expect(payload.error.type).toBe('invalid_request_error')
    expect(payload.error.message).toContain(message)
    expect(payload.request_id).toBe(response.headers.get('request-id') ?? '')
  }

  test('anthropic-version is required', async () => {
    const { 'anthropic-version': _, ...noVersion } = GATEWAY_HEADERS
    await expect400({ model: 'claude-x', max_tokens: 10, messages: user('x') }, 'anthropic-version', noVersion)
  })

  test('invalid JSON and missing model, max_tokens or messages are 400s', async () => {
    await expect400('{"model":', 'JSON')
    await expect400({ max_tokens: 10, messages: user('x') }, 'model: Field required')
    await expect400({ model: 'claude-x', messages: user('x') }, 'max_tokens: Field required')
    await expect400({ model: 'claude-x', max_tokens: 1.5, messages: user('x') }, 'max_tokens')
    await expect400({ model: 'claude-x', max_tokens: 10 }, 'messages: Field required')
    await expect400({ model: 'claude-x', max_tokens: 10, messages: [] }, 'at least one message')
  })

  test('messages must start with a user turn and alternate', async () => {
    await expect400({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'assistant', content: 'a' }] }, 'first message')
    await expect400({ model: 'claude-x', max_tokens: 10, messages: [...user('a'), ...user('b')] }, 'alternate')
    await expect400({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'system', content: 'a' }] }, 'role')
  })

  test('the SDK reports a validation failure as BadRequestError', async () => {
    const error = await gatewayLike.messages.create({ model: 'claude-x', max_tokens: 10, messages: [...user('a'), ...user('b')] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Anthropic.BadRequestError)
  })

  test('unknown models are a 404 not_found_error when the fake is strict', async () => {
    const strict = await startFakeAnthropic({ apiKey: KEY, models: ['claude-only'], rejectUnknownModels: true })
    try {
      const sdk = new Anthropic({ apiKey: KEY, baseURL: strict.url, maxRetries: 0 })
      expect(await sdk.messages.create({ model: 'claude-other', max_tokens: 10, messages: user('x') }).catch((e: unknown) => e)).toBeInstanceOf(
        Anthropic.NotFoundError,
      )
    } finally {
      await strict.stop()
    }
  })
})

describe('other routes', () => {
  test('count_tokens gives the input tokens a message would report', async () => {
    const request = { model: 'claude-x', system: 'be brief', messages: user('count me please') }
    const counted = await gatewayLike.messages.countTokens(request)
    const message = await gatewayLike.messages.create({ ...request, max_tokens: 10 })
    expect(counted.input_tokens).toBeGreaterThan(0)
    expect(counted.input_tokens).toBe(message.usage.input_tokens)
  })

  test('/v1/models pages with limit and after_id', async () => {
    const first = await gatewayLike.models.list({ limit: 2 })
    expect(first.data.map((model) => model.id)).toEqual(['claude-sonnet-4-5-20250929', 'claude-opus-4-1-20250805'])
    expect(first.has_more).toBe(true)
    expect(first.data[0]).toMatchObject({ type: 'model', display_name: expect.any(String), created_at: expect.any(String) })
    const all: string[] = []
    for await (const model of gatewayLike.models.list({ limit: 1 })) all.push(model.id)
    expect(all).toEqual(['claude-sonnet-4-5-20250929', 'claude-opus-4-1-20250805', 'claude-3-5-haiku-20241022'])
  })

  test('/messages answers like /v1/messages unless the alias is switched off', async () => {
    const body = { model: 'claude-x', max_tokens: 10, messages: user('alias') }
    expect((await rawPost('/messages', body)).status).toBe(200)
    const strict = await startFakeAnthropic({ apiKey: KEY, unversionedAlias: false })
    try {
      const response = await fetch(`${strict.url}/messages`, { method: 'POST', headers: GATEWAY_HEADERS, body: JSON.stringify(body) })
      expect(response.status).toBe(404)
      expect(((await response.json()) as { error: { type: string } }).error.type).toBe('not_found_error')
    } finally {
      await strict.stop()
    }
  })
})
