import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { openaiError, openaiQuotaExceeded, openaiRateLimited, startFakeOpenAI, type FakeOpenAI } from './openai/index.ts'
import { framePayloads, sseFrames } from './shared/read-frames.ts'

let fake: FakeOpenAI
let client: OpenAI

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: 'sk-test', models: ['gpt-4o-mini', 'gpt-4o'], now: () => 1_700_000_000_000 })
  client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.url, maxRetries: 0 })
})
afterAll(() => fake.stop())

const user = (content: string) => [{ role: 'user' as const, content }]

async function rawPost(body: unknown, headers: Record<string, string> = { authorization: 'Bearer sk-test' }): Promise<Response> {
  return fetch(`${fake.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

type Chunk = { choices: { delta: Record<string, unknown>; finish_reason: string | null }[]; usage?: unknown }

async function rawStream(body: Record<string, unknown>): Promise<{ frames: ReturnType<typeof sseFrames>; chunks: Chunk[]; response: Response }> {
  const response = await rawPost({ model: 'gpt-4o', messages: user('hello'), stream: true, ...body })
  const frames = sseFrames(await response.text())
  return { frames, chunks: framePayloads(frames) as unknown as Chunk[], response }
}

describe('text answers', () => {
  test('a non-stream answer echoes the last user text with usage that adds up', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [...user('first'), { role: 'assistant', content: 'ok' }, ...user('héllo 東京')],
    })
    expect(completion.object).toBe('chat.completion')
    expect(completion.model).toBe('gpt-4o')
    expect(completion.created).toBe(1_700_000_000)
    expect(completion.choices[0]?.message.content).toBe('echo: héllo 東京')
    expect(completion.choices[0]?.finish_reason).toBe('stop')
    const usage = completion.usage
    expect(usage?.prompt_tokens).toBeGreaterThan(0)
    expect(usage?.completion_tokens).toBeGreaterThan(0)
    expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0))
  })

  test('a scripted text is streamed through the SDK in several pieces', async () => {
    fake.enqueue({ kind: 'text', text: 'The quick brown fox' })
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: user('x'), stream: true })
    const pieces: string[] = []
    for await (const chunk of stream) {
      const content = chunk.choices[0]?.delta.content
      if (content) pieces.push(content)
    }
    expect(pieces.length).toBeGreaterThan(1)
    expect(pieces.join('')).toBe('The quick brown fox')
  })

  test('a stream is role chunk, content chunks, finish chunk, [DONE] — and no usage unless asked', async () => {
    const { frames, chunks, response } = await rawStream({})
    expect(response.headers.get('content-type')).toStartWith('text/event-stream')
    expect(frames.every((frame) => frame.event === undefined)).toBe(true)
    expect(frames.at(-1)?.data).toBe('[DONE]')
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '', refusal: null })
    const finish = chunks.at(-1)
    expect(finish?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' })
    const middle = chunks.slice(1, -1)
    expect(middle.length).toBeGreaterThan(1)
    expect(middle.map((chunk) => chunk.choices[0]?.delta.content).join('')).toBe('echo: hello')
    expect(chunks.every((chunk) => !('usage' in chunk))).toBe(true)
    const ids = new Set(chunks.map((chunk) => (chunk as unknown as { id: string }).id))
    expect(ids.size).toBe(1)
  })

  test('include_usage adds one choices:[] usage chunk just before [DONE]', async () => {
    const { frames, chunks } = await rawStream({ stream_options: { include_usage: true } })
    expect(frames.at(-1)?.data).toBe('[DONE]')
    const last = chunks.at(-1) as unknown as { choices: unknown[]; usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } }
    expect(last.choices).toEqual([])
    expect(last.usage.total_tokens).toBe(last.usage.prompt_tokens + last.usage.completion_tokens)
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true)
  })

  test('the SDK sees the usage chunk when it asks for it', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: user('x'), stream: true, stream_options: { include_usage: true } })
    let usage: OpenAI.CompletionUsage | null | undefined
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage
    expect(usage?.completion_tokens).toBeGreaterThan(0)
  })

  test('length stops with finish_reason length', async () => {
    fake.enqueue({ kind: 'length', text: 'cut sho' })
    const completion = await client.chat.completions.create({ model: 'gpt-4o', messages: user('x') })
    expect(completion.choices[0]?.finish_reason).toBe('length')
    expect(completion.choices[0]?.message.content).toBe('cut sho')
  })

  test('a huge answer arrives whole', async () => {
    fake.enqueue({ kind: 'huge', bytes: 10_000_000 })
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: user('x'), stream: true })
    let length = 0
    for await (const chunk of stream) length += chunk.choices[0]?.delta.content?.length ?? 0
    expect(length).toBe(10_000_000)
  })
})

describe('tool calls', () => {
  const calls = [
    { name: 'get_weather', arguments: { city: 'Pa"ris \\ 東京 😀', days: [1, 2] } },
    { name: 'get_time', arguments: { tz: 'Asia/Tokyo' } },
  ]

  test('a non-stream answer carries arguments as JSON strings and finish_reason tool_calls', async () => {
    fake.enqueue({ kind: 'tool_calls', calls })
    const completion = await client.chat.completions.create({ model: 'gpt-4o', messages: user('x') })
    const choice = completion.choices[0]
    expect(choice?.finish_reason).toBe('tool_calls')
    expect(choice?.message.content).toBeNull()
    const toolCalls = choice?.message.tool_calls ?? []
    expect(toolCalls.map((call) => call.type === 'function' && call.function.name)).toEqual(['get_weather', 'get_time'])
    expect(toolCalls.map((call) => call.type === 'function' && JSON.parse(call.function.arguments))).toEqual(calls.map((call) => call.arguments))
  })

  test('streamed parallel calls parse once the SDK joins their fragments', async () => {
    fake.enqueue({ kind: 'tool_calls', calls, text: 'Checking.' })
    const final = await client.chat.completions.stream({ model: 'gpt-4o', messages: user('x') }).finalChatCompletion()
    const message = final.choices[0]?.message
    expect(final.choices[0]?.finish_reason).toBe('tool_calls')
    expect(message?.content).toBe('Checking.')
    const parsed = (message?.tool_calls ?? []).map((call) => call.type === 'function' && JSON.parse(call.function.arguments))
    expect(parsed).toEqual(calls.map((call) => call.arguments))
  })

  test('the first fragment names the call, later ones carry only argument pieces cut anywhere', async () => {
    fake.enqueue({ kind: 'tool_calls', calls })
    const { chunks } = await rawStream({})
    type Fragment = { index: number; id?: string; type?: string; function: { name?: string; arguments: string } }
    const fragments = chunks.flatMap((chunk) => (chunk.choices[0]?.delta.tool_calls as Fragment[] | undefined) ?? [])
    expect(chunks[0]?.choices[0]?.delta).toMatchObject({ role: 'assistant', content: null })
    for (const index of [0, 1]) {
      const [head, ...rest] = fragments.filter((fragment) => fragment.index === index)
      expect(head).toEqual({ index, id: expect.stringMatching(/^call_/), type: 'function', function: { name: calls[index]?.name, arguments: '' } })
      expect(rest.length).toBeGreaterThan(1)
      for (const fragment of rest) expect(Object.keys(fragment).sort()).toEqual(['function', 'index'])
      expect(rest.map((fragment) => fragment.function.arguments).join('')).toBe(JSON.stringify(calls[index]?.arguments))
    }
    expect(fragments.some((fragment) => fragment.function.arguments.endsWith('\\'))).toBe(true)
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls')
  })
})

describe('reasoning', () => {
  test('thinking streams as reasoning_content deltas before the content', async () => {
    fake.enqueue({ kind: 'thinking', thinking: 'Compare the tenths digit first.', text: '9.9 is larger.' })
    const { chunks } = await rawStream({ stream_options: { include_usage: true } })
    const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta))
    const reasoning = deltas.map((delta) => delta.reasoning_content ?? '').join('')
    const content = deltas.map((delta) => delta.content ?? '').join('')
    expect(reasoning).toBe('Compare the tenths digit first.')
    expect(content).toBe('9.9 is larger.')
    const firstContent = deltas.findIndex((delta) => typeof delta.content === 'string' && delta.content !== '')
    const lastReasoning = deltas.findLastIndex((delta) => typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '')
    expect(lastReasoning).toBeLessThan(firstContent)
    const usage = (chunks.at(-1) as unknown as { usage: { completion_tokens_details: { reasoning_tokens: number } } }).usage
    expect(usage.completion_tokens_details.reasoning_tokens).toBeGreaterThan(0)
  })

  test('a non-stream answer carries message.reasoning_content', async () => {
    fake.enqueue({ kind: 'thinking', thinking: 'hmm', text: 'yes' })
    const body = (await (await rawPost({ model: 'gpt-4o', messages: user('x') })).json()) as { choices: { message: Record<string, unknown> }[] }
    expect(body.choices[0]?.message).toMatchObject({ reasoning_content: 'hmm', content: 'yes' })
  })
})

describe('errors', () => {
  test('429 with retry-after surfaces as the SDK RateLimitError', async () => {
    fake.enqueue(openaiRateLimited(3))
    const error = await client.chat.completions.create({ model: 'gpt-4o', messages: user('x') }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    const apiError = error as InstanceType<typeof OpenAI.RateLimitError>
    expect(apiError.status).toBe(429)
    expect(apiError.code).toBe('rate_limit_exceeded')
    expect(apiError.headers?.get('retry-after')).toBe('3')
  })

  test('quota exhaustion is a 429 with type and code insufficient_quota', async () => {
    fake.enqueue(openaiQuotaExceeded())
    const error = (await client.chat.completions.create({ model: 'gpt-4o', messages: user('x') }).catch((e: unknown) => e)) as InstanceType<
      typeof OpenAI.APIError
    >
    expect(error.status).toBe(429)
    expect(error.type).toBe('insufficient_quota')
    expect(error.code).toBe('insufficient_quota')
  })

  test("a bare 500 gets OpenAI's server_error body", async () => {
    fake.enqueue({ kind: 'status', status: 500 })
    const error = await client.chat.completions.create({ model: 'gpt-4o', messages: user('x') }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.InternalServerError)
    expect((error as InstanceType<typeof OpenAI.APIError>).type).toBe('server_error')
  })

  test('a scripted 401 uses the given type and code', async () => {
    fake.enqueue(openaiError(401, 'invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.'))
    const error = await client.chat.completions.create({ model: 'gpt-4o', messages: user('x') }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError)
  })

  test('a wrong key is a 401 invalid_api_key that never echoes the whole key', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong-0123456789', baseURL: fake.url, maxRetries: 0 })
    const error = (await wrong.chat.completions.create({ model: 'gpt-4o', messages: user('x') }).catch((e: unknown) => e)) as InstanceType<
      typeof OpenAI.APIError
    >
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError)
    expect(error.code).toBe('invalid_api_key')
    expect(error.message).not.toContain('sk-wrong-0123456789')
    expect((await rawPost({ model: 'gpt-4o', messages: user('x') }, {})).status).toBe(401)
  })

  test('scenarios are not used by requests the fake rejects', async () => {
    fake.enqueue({ kind: 'status', status: 503 })
    await rawPost({ model: 'gpt-4o', messages: [] })
    expect(fake.pending()).toBe(1)
    const error = (await client.chat.completions.create({ model: 'gpt-4o', messages: user('x') }).catch((e: unknown) => e)) as InstanceType<
      typeof OpenAI.APIError
    >
    expect(error.status).toBe(503)
    expect(fake.pending()).toBe(0)
  })
})

describe('validation', () => {
  const expect400 = async (body: unknown, param: string | null) => {
    const response = await rawPost(body)
    expect(response.status).toBe(400)
    const payload = (await response.json()) as { error: { type: string; param: string | null } }
    expect(payload.error.type).toBe('invalid_request_error')
    expect(payload.error.param).toBe(param)
  }

  test('invalid JSON, a missing model and missing or empty messages are 400s', async () => {
    await expect400('{"model":', null)
    await expect400({ messages: user('x') }, 'model')
    await expect400({ model: 'gpt-4o' }, 'messages')
    await expect400({ model: 'gpt-4o', messages: [] }, 'messages')
    await expect400({ model: 'gpt-4o', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role')
  })

  test('the SDK reports a 400 as BadRequestError', async () => {
    const error = await client.chat.completions.create({ model: 'gpt-4o', messages: [] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.BadRequestError)
  })

  test('unknown models are a 404 model_not_found when the fake is strict', async () => {
    const strict = await startFakeOpenAI({ apiKey: 'k', models: ['only'], rejectUnknownModels: true })
    try {
      const sdk = new OpenAI({ apiKey: 'k', baseURL: strict.url, maxRetries: 0 })
      const error = (await sdk.chat.completions.create({ model: 'other', messages: user('x') }).catch((e: unknown) => e)) as InstanceType<
        typeof OpenAI.APIError
      >
      expect(error).toBeInstanceOf(OpenAI.NotFoundError)
      expect(error.code).toBe('model_not_found')
      expect((await sdk.chat.completions.create({ model: 'only', messages: user('x') })).model).toBe('only')
    } finally {
      await strict.stop()
    }
  })
})

describe('models and journal', () => {
  test('GET /v1/models is a list of model objects', async () => {
    const ids: string[] = []
    for await (const model of client.models.list()) {
      expect(model.object).toBe('model')
      ids.push(model.id)
    }
    expect(ids).toEqual(['gpt-4o-mini', 'gpt-4o'])
  })

  test('the journal records what was sent, with lower-case headers and parsed JSON', async () => {
    const before = fake.journal.length
    await rawPost({ model: 'gpt-4o', messages: user('journal me') }, { authorization: 'Bearer sk-test', 'X-Custom': 'yes' })
    const entry = fake.journal[before]
    expect(entry?.method).toBe('POST')
    expect(entry?.path).toBe('/v1/chat/completions')
    expect(entry?.headers['x-custom']).toBe('yes')
    expect(entry?.json).toEqual({ model: 'gpt-4o', messages: user('journal me') })
    expect(entry?.at).toBe(1_700_000_000_000)
  })
})
