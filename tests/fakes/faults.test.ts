// Failures injected after (or instead of) a 200, seen through raw fetch and the official SDKs.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { startFakeAnthropic, type FakeAnthropic } from './anthropic/index.ts'
import { startFakeOpenAI, type FakeOpenAI } from './openai/index.ts'
import { framePayloads, readPieces, sseFrames } from './shared/read-frames.ts'

let openai: FakeOpenAI
let anthropic: FakeAnthropic
let openaiSdk: OpenAI
let anthropicSdk: Anthropic

beforeAll(async () => {
  openai = await startFakeOpenAI({ apiKey: 'sk-test' })
  anthropic = await startFakeAnthropic({ apiKey: 'sk-ant-test' })
  openaiSdk = new OpenAI({ apiKey: 'sk-test', baseURL: openai.url, maxRetries: 0 })
  anthropicSdk = new Anthropic({ apiKey: 'sk-ant-test', baseURL: anthropic.url, maxRetries: 0 })
})
afterAll(async () => {
  await openai.stop()
  await anthropic.stop()
})

const user = (content: string) => [{ role: 'user' as const, content }]
const TEXT = 'one two three four five six seven eight'

function postOpenAI(stream: boolean, extra: Record<string, unknown> = {}): Promise<Response> {
  return fetch(`${openai.url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o', messages: user('hello'), stream, ...extra }),
  })
}

function postAnthropic(stream: boolean): Promise<Response> {
  return fetch(`${anthropic.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'claude-x', max_tokens: 100, messages: user('hello'), stream }),
  })
}

const openaiContent = (text: string) =>
  framePayloads(sseFrames(text))
    .flatMap((chunk) => (chunk as { choices?: { delta: { content?: string } }[] }).choices ?? [])
    .filter((choice) => choice.delta.content)

/** Gives the event loop a few turns, so something that is not held back would have arrived. */
const settle = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)))

describe('in-stream provider errors', () => {
  test('OpenAI: content chunks, then data: {"error":…}, then the end — no [DONE]', async () => {
    openai.enqueue({ kind: 'stream-error-after', chunks: 2, answer: { kind: 'text', text: TEXT } })
    const text = await (await postOpenAI(true)).text()
    const frames = sseFrames(text)
    expect(openaiContent(text.slice(0, text.lastIndexOf('data: {"error"'))).length).toBe(2)
    expect(JSON.parse(frames.at(-1)?.data ?? '')).toMatchObject({ error: { type: 'server_error' } })
    expect(text).not.toContain('[DONE]')
  })

  test('OpenAI SDK: yields the chunks before the error, then throws an APIError', async () => {
    openai.enqueue({ kind: 'stream-error-after', chunks: 2, answer: { kind: 'text', text: TEXT } })
    const stream = await openaiSdk.chat.completions.create({ model: 'gpt-4o', messages: user('x'), stream: true })
    const pieces: string[] = []
    const error = await (async () => {
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content) pieces.push(chunk.choices[0].delta.content)
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.APIError)
    expect(error).not.toBeInstanceOf(OpenAI.APIConnectionError)
    expect(pieces.length).toBe(2)
  })

  test('OpenAI: a non-stream request gets a 500 instead', async () => {
    openai.enqueue({ kind: 'stream-error-after', chunks: 2 })
    expect(await openaiSdk.chat.completions.create({ model: 'gpt-4o', messages: user('x') }).catch((e: unknown) => e)).toBeInstanceOf(
      OpenAI.InternalServerError,
    )
  })

  test('Anthropic: text deltas, then event: error overloaded_error — no message_stop', async () => {
    anthropic.enqueue({ kind: 'stream-error-after', chunks: 3, answer: { kind: 'text', text: TEXT } })
    const frames = sseFrames(await (await postAnthropic(true)).text())
    expect(frames.filter((frame) => frame.event === 'content_block_delta').length).toBe(3)
    expect(frames.at(-1)?.event).toBe('error')
    expect(JSON.parse(frames.at(-1)?.data ?? '')).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })
    expect(frames.some((frame) => frame.event === 'message_stop')).toBe(false)
  })

  test('Anthropic SDK: the stream throws an APIError of type overloaded_error', async () => {
    anthropic.enqueue({ kind: 'stream-error-after', chunks: 1 })
    const error = (await anthropicSdk.messages
      .stream({ model: 'claude-x', max_tokens: 10, messages: user('x') })
      .finalMessage()
      .catch((e: unknown) => e)) as InstanceType<typeof Anthropic.APIError>
    expect(error).toBeInstanceOf(Anthropic.APIError)
    expect(error.type).toBe('overloaded_error')
  })

  test('a fault counts tool-argument fragments too, so it can land mid-arguments', async () => {
    anthropic.enqueue({
      kind: 'stream-error-after',
      chunks: 1,
      answer: { kind: 'tool_calls', calls: [{ name: 'f', arguments: { query: 'a fairly long argument value' } }] },
    })
    const frames = sseFrames(await (await postAnthropic(true)).text())
    const json = framePayloads(frames.slice(0, -1))
      .filter((event) => event.type === 'content_block_delta')
      .map((event) => (event.delta as { partial_json: string }).partial_json)
      .join('')
    expect(json.length).toBeGreaterThan(0)
    expect(() => JSON.parse(json)).toThrow()
    expect(frames.at(-1)?.event).toBe('error')
  })
})

describe('broken streams', () => {
  test('cut-after ends the body cleanly without the finish chunk or [DONE]', async () => {
    openai.enqueue({ kind: 'cut-after', chunks: 2, answer: { kind: 'text', text: TEXT } })
    const text = await (await postOpenAI(true, { stream_options: { include_usage: true } })).text()
    expect(openaiContent(text).length).toBe(2)
    expect(text).not.toContain('finish_reason":"stop')
    expect(text).not.toContain('[DONE]')
  })

  test('cut-after on Anthropic stops before message_delta and message_stop', async () => {
    anthropic.enqueue({ kind: 'cut-after', chunks: 2 })
    const types = sseFrames(await (await postAnthropic(true)).text()).map((frame) => frame.event)
    expect(types).not.toContain('message_stop')
    expect(types).not.toContain('message_delta')
    expect(types.filter((type) => type === 'content_block_delta').length).toBe(2)
  })

  test('cut-after on a non-stream request leaves truncated JSON the SDK cannot read', async () => {
    openai.enqueue({ kind: 'cut-after', chunks: 0 })
    const text = await (await postOpenAI(false)).text()
    expect(() => JSON.parse(text)).toThrow()
    anthropic.enqueue({ kind: 'cut-after', chunks: 0 })
    expect(await anthropicSdk.messages.create({ model: 'claude-x', max_tokens: 10, messages: user('x') }).catch((e: unknown) => e)).toBeInstanceOf(Error)
  })

  test('malformed-after sends a frame with broken JSON that the SDKs reject', async () => {
    openai.enqueue({ kind: 'malformed-after', chunks: 1 })
    const stream = await openaiSdk.chat.completions.create({ model: 'gpt-4o', messages: user('x'), stream: true })
    const openaiError = await (async () => {
      for await (const _ of stream);
    })().catch((e: unknown) => e)
    expect(openaiError).toBeInstanceOf(SyntaxError)
    anthropic.enqueue({ kind: 'malformed-after', chunks: 1 })
    expect(
      await anthropicSdk.messages
        .stream({ model: 'claude-x', max_tokens: 10, messages: user('x') })
        .finalMessage()
        .catch((e: unknown) => e),
    ).toBeInstanceOf(Error)
  })

  test('garbage is a 200 whose body is neither JSON nor SSE', async () => {
    openai.enqueue({ kind: 'garbage' })
    const response = await postOpenAI(false)
    expect(response.status).toBe(200)
    const text = await response.text()
    expect(() => JSON.parse(text)).toThrow()
    expect(text).not.toContain('data:')
    openai.enqueue({ kind: 'garbage' })
    expect(await openaiSdk.chat.completions.create({ model: 'gpt-4o', messages: user('x') }).catch((e: unknown) => e)).toBeInstanceOf(Error)
  })
})

describe('connection resets', () => {
  test('reset closes the connection before any byte: fetch rejects with ECONNRESET', async () => {
    openai.enqueue({ kind: 'reset' })
    const error = (await postOpenAI(true).catch((e: unknown) => e)) as { code?: string }
    expect(error).toBeInstanceOf(Error)
    expect(error.code).toBe('ECONNRESET')
    anthropic.enqueue({ kind: 'reset' })
    expect(await anthropicSdk.messages.create({ model: 'claude-x', max_tokens: 10, messages: user('x') }).catch((e: unknown) => e)).toBeInstanceOf(
      Anthropic.APIConnectionError,
    )
  })

  test('reset-after gives a 200 whose body fails mid-way with ECONNRESET', async () => {
    openai.enqueue({ kind: 'reset-after', chunks: 1 })
    const response = await postOpenAI(true)
    expect(response.status).toBe(200)
    let received = ''
    const error = (await readPieces(response.body ?? new ReadableStream(), (text) => (received += text)).catch((e: unknown) => e)) as { code?: string }
    expect(error).toBeInstanceOf(Error)
    expect(error.code).toBe('ECONNRESET')
    expect(received).not.toContain('[DONE]')
  })

  test('reset-after with until delivers the chunks first, then the SDK sees the reset as an error', async () => {
    const release = Promise.withResolvers<void>()
    openai.enqueue({ kind: 'reset-after', chunks: 2, until: release.promise, answer: { kind: 'text', text: TEXT } })
    const pieces: string[] = []
    const error = await (async () => {
      const stream = await openaiSdk.chat.completions.create({ model: 'gpt-4o', messages: user('x'), stream: true })
      for await (const chunk of stream) {
        const content = chunk.choices[0]?.delta.content
        if (content) pieces.push(content)
        if (pieces.length === 2) release.resolve()
      }
    })().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(Error)
    expect(pieces.length).toBe(2)
  })
})

describe('timing', () => {
  test('gate holds the response headers until it opens', async () => {
    const gate = Promise.withResolvers<void>()
    openai.enqueue({ kind: 'gate', until: gate.promise, then: { kind: 'text', text: 'late' } })
    let opened = false
    let openedWhenAnswered: boolean | undefined
    const before = openai.journal.length
    const answer = postOpenAI(false).then((response) => {
      openedWhenAnswered = opened
      return response.json() as Promise<{ choices: { message: { content: string } }[] }>
    })
    await openai.waitForRequests(before + 1)
    await settle()
    expect(openedWhenAnswered).toBeUndefined()
    opened = true
    gate.resolve()
    expect((await answer).choices[0]?.message.content).toBe('late')
    expect(openedWhenAnswered).toBe(true)
  })

  test('stall-after sends the first chunks, then holds the stream open until released', async () => {
    const release = Promise.withResolvers<void>()
    anthropic.enqueue({ kind: 'stall-after', chunks: 2, until: release.promise, answer: { kind: 'text', text: TEXT } })
    const response = await postAnthropic(true)
    const reader = (response.body ?? new ReadableStream<Uint8Array>()).getReader()
    const decoder = new TextDecoder()
    let received = ''
    while ((received.match(/event: content_block_delta/g) ?? []).length < 2) {
      const { value, done } = await reader.read()
      if (done) throw new Error('stream ended before the stall')
      received += decoder.decode(value, { stream: true })
    }
    let more = false
    const next = reader.read().then((result) => {
      more = true
      return result
    })
    await settle()
    expect(more).toBe(false)
    expect(received).not.toContain('message_stop')
    release.resolve()
    let result = await next
    while (!result.done) {
      received += decoder.decode(result.value, { stream: true })
      result = await reader.read()
    }
    const frames = sseFrames(received)
    expect(frames.at(-1)?.event).toBe('message_stop')
    expect(
      framePayloads(frames)
        .filter((event) => event.type === 'content_block_delta')
        .map((event) => (event.delta as { text: string }).text)
        .join(''),
    ).toBe(TEXT)
  })

  test('delay holds the headers for at least the given time', async () => {
    openai.enqueue({ kind: 'delay', ms: 40, then: { kind: 'text' } })
    const started = performance.now()
    const response = await postOpenAI(false)
    expect(performance.now() - started).toBeGreaterThanOrEqual(35)
    expect(response.status).toBe(200)
  })

  test('slow-chunks waits between frames', async () => {
    openai.enqueue({ kind: 'slow-chunks', gapMs: 10, then: { kind: 'text', text: 'abcd' } })
    const started = performance.now()
    const frames = sseFrames(await (await postOpenAI(true)).text())
    expect(frames.length).toBe(7)
    expect(performance.now() - started).toBeGreaterThanOrEqual(55)
  })
})

describe('split writes', () => {
  const text = 'héllo wörld, 東京 and 😀 — split everywhere'

  test('a split body still reads back byte for byte through the SDKs', async () => {
    openai.enqueue({ kind: 'split-writes', seed: 3, maxPiece: 3, then: { kind: 'text', text } })
    const stream = await openaiSdk.chat.completions.create({ model: 'gpt-4o', messages: user('x'), stream: true })
    let content = ''
    for await (const chunk of stream) content += chunk.choices[0]?.delta.content ?? ''
    expect(content).toBe(text)
    anthropic.enqueue({ kind: 'split-writes', seed: 4, maxPiece: 5, then: { kind: 'thinking', thinking: text, text } })
    const message = await anthropicSdk.messages.stream({ model: 'claude-x', max_tokens: 10, messages: user('x') }).finalMessage()
    expect(message.content.map((block) => (block.type === 'thinking' ? block.thinking : block.type === 'text' ? block.text : ''))).toEqual([text, text])
  })

  test('the splitWrites option applies to every response of a fake', async () => {
    const split = await startFakeOpenAI({ apiKey: 'k', splitWrites: { seed: 9, maxPiece: 4 } })
    try {
      const sdk = new OpenAI({ apiKey: 'k', baseURL: split.url, maxRetries: 0 })
      const completion = await sdk.chat.completions.create({ model: 'gpt-4o', messages: user(text) })
      expect(completion.choices[0]?.message.content).toBe(`echo: ${text}`)
    } finally {
      await split.stop()
    }
  })
})
