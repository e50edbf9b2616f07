import { afterEach, describe, expect, test } from 'bun:test'
import type { ChatEvent, Message } from '../../../src/chat/types.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { ToolNameMap } from '../../../src/providers/kiro/tool-names.ts'
import { exceptionAnswer, textAnswer, thinkingAnswer, toolAnswer } from '../../fakes/kiro/answers.ts'
import { eventFrame } from '../../fakes/kiro/event-stream-encoder.ts'
import { kiroFaults, type StreamFault } from '../../fakes/kiro/server.ts'
import { chatCall, chatEvents, kiroFixture, textOf, userRequest, type FixtureOptions, type KiroFixture } from './fixture.ts'
import { T0 } from './helpers.ts'

let fixture: KiroFixture | undefined
const start = (options: FixtureOptions = {}) => (fixture = kiroFixture(options))
afterEach(() => fixture?.fake.stop())

describe('Kiro chat over the fake', () => {
  test('sends the IDE headers and a valid body, and streams the answer as canonical events', async () => {
    const f = start()
    const { events, error } = await chatEvents(f.client, userRequest('Hello there'))
    expect(error).toBeUndefined()
    expect(events[0]).toMatchObject({ type: 'start', model: 'claude-sonnet-4-5' })
    expect(textOf(events)).toBe('You said: Hello there')
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'stop' })
    const [call] = f.fake.journal
    expect(call?.violation).toBeUndefined()
    expect(call?.headers).toMatchObject({
      authorization: `Bearer ${f.login.accessToken}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'amz-sdk-request': 'attempt=1; max=3',
      'x-amzn-codewhisperer-optout': 'true',
      'x-amzn-kiro-agent-mode': 'vibe',
    })
    expect(call?.headers['amz-sdk-invocation-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(call?.headers['x-amz-user-agent']).toMatch(/^aws-sdk-js\/1\.0\.34 KiroIDE-0\.11\.63-[0-9a-f]{64}$/)
    expect(call?.headers['user-agent']).toContain('api/codewhispererstreaming#1.0.34')
    const body = call?.json as { profileArn?: string; conversationState: { conversationId: string; currentMessage: { userInputMessage: { modelId: string } } } }
    expect(body.profileArn).toBe(f.fake.profileArn)
    expect(body.conversationState.currentMessage.userInputMessage.modelId).toBe('claude-sonnet-4.5')
  })

  test('every request gets a fresh conversationId', async () => {
    const f = start()
    await chatEvents(f.client, userRequest('a'))
    await chatEvents(f.client, userRequest('b'))
    const ids = f.fake.journal.map((entry) => (entry.json as { conversationState: { conversationId: string } }).conversationState.conversationId)
    expect(new Set(ids).size).toBe(2)
  })

  test('multi-byte text written in random byte pieces arrives intact', async () => {
    const f = start()
    const pieces = ['Grüße ', '👋🏽 日本', '語 — ', 'done']
    for (let seed = 1; seed <= 5; seed++) f.fake.enqueue({ kind: 'stream', frames: textAnswer(pieces), splitSeed: seed })
    for (let seed = 1; seed <= 5; seed++) expect(textOf((await chatEvents(f.client, userRequest('x'))).events)).toBe(pieces.join(''))
  })

  test('thinking requested: the prefix reaches Kiro and the tagged answer comes back as thinking + text', async () => {
    const f = start()
    const { events } = await chatEvents(f.client, userRequest('q', { thinking: { enabled: true, budgetTokens: 4096 } }))
    expect(
      events
        .filter((event) => event.type === 'thinking')
        .map((event) => (event as { text: string }).text)
        .join(''),
    ).toBe('Considering the request.')
    expect(textOf(events)).toBe('You said: <thinking_mode>enabled</thinking_mode><max_thinking_length>4096</max_thinking_length>\n\nq')
  })

  test('a tool call with a long name: shortened on the wire, the client name in the events', async () => {
    const f = start()
    const long = `mcp__files__${'read_a_file_with_a_really_long_name_'.repeat(2)}`
    const request = userRequest('read', { tools: [{ name: long, description: 'reads', parameters: { type: 'object' } }] })
    const sent = new ToolNameMap().toKiro(long)
    expect(sent).not.toBe(long)
    f.fake.enqueue({ kind: 'stream', frames: toolAnswer('Reading.', [{ toolUseId: 'tooluse_1', name: sent, fragments: ['{"pa', 'th":"a\\"b"}'] }]) })
    const { events } = await chatEvents(f.client, request)
    expect(events.find((event) => event.type === 'tool_call_start')).toMatchObject({ name: long, id: 'tooluse_1' })
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'tool_calls' })
  })

  test('events are delivered as frames arrive, before the upstream finishes the body', async () => {
    let push: ((bytes: Uint8Array) => void) | undefined
    let end: (() => void) | undefined
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (bytes) => controller.enqueue(bytes)
        end = () => controller.close()
      },
    })
    const streamingFetch = (async (input: string | URL | Request) =>
      String(input).includes('generateAssistantResponse') ? new Response(body, { status: 200 }) : fetch(input)) as typeof fetch
    const f = start({ fetch: streamingFetch })
    const reply = await f.client.chat(chatCall(userRequest('x')))
    if (reply.kind !== 'events') throw new Error('expected events')
    const iterator = reply.events[Symbol.asyncIterator]()
    push?.(eventFrame('assistantResponseEvent', { content: 'first' }))
    expect((await iterator.next()).value).toMatchObject({ type: 'start' })
    expect((await iterator.next()).value).toEqual({ type: 'text', text: 'first' })
    push?.(eventFrame('assistantResponseEvent', { content: 'second' }))
    expect((await iterator.next()).value).toEqual({ type: 'text', text: 'second' })
    end?.()
    expect((await iterator.next()).value).toMatchObject({ type: 'finish' })
  })
})

describe('Kiro streams cut short', () => {
  test('a client abort mid-stream ends the events with a request-scoped 499, not a member failure', async () => {
    const f = start()
    f.fake.enqueue({ kind: 'stream', frames: [eventFrame('assistantResponseEvent', { content: 'first' })], holdOpen: true })
    const abort = new AbortController()
    const reply = await f.client.chat(chatCall(userRequest('x'), abort.signal))
    if (reply.kind !== 'events') throw new Error('expected events')
    const iterator = reply.events[Symbol.asyncIterator]()
    await iterator.next()
    expect((await iterator.next()).value).toEqual({ type: 'text', text: 'first' })
    abort.abort()
    await expect(iterator.next()).rejects.toMatchObject({ status: 499, scope: 'request' })
  })

  test('a connection that breaks inside the body is a 502 of the member', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(eventFrame('assistantResponseEvent', { content: 'partial' }))
        controller.error(new TypeError('socket reset'))
      },
    })
    const brokenFetch = (async (input: string | URL | Request) =>
      String(input).includes('generateAssistantResponse') ? new Response(body, { status: 200 }) : fetch(input)) as typeof fetch
    const f = start({ fetch: brokenFetch })
    const { error } = await chatEvents(f.client, userRequest('x'))
    expect([error?.status, error?.kind, error?.scope]).toEqual([502, 'bad_gateway', 'member'])
    expect(error?.message).toContain('socket reset')
  })
})

describe('Kiro failures inside a 200 stream', () => {
  test('an exception frame mid-stream: earlier text is yielded, then a 429 GatewayError (no finish)', async () => {
    const f = start()
    f.fake.enqueue({ kind: 'stream', frames: exceptionAnswer(['Hello ', 'wor']), splitSeed: 3 })
    const { events, error } = await chatEvents(f.client, userRequest('x'))
    expect(textOf(events)).toBe('Hello wor')
    expect(events.some((event: ChatEvent) => event.type === 'finish')).toBe(false)
    expect(error).toBeInstanceOf(GatewayError)
    expect([error?.status, error?.kind]).toEqual([429, 'rate_limited'])
  })

  test.each<[StreamFault, string]>([
    ['prelude-crc', 'prelude CRC'],
    ['message-crc', 'message CRC'],
    ['truncate', 'ended inside a message'],
  ])('a %s fault in the last frame is a 502 after the earlier text', async (fault, why) => {
    const f = start()
    f.fake.enqueue({ kind: 'stream', frames: [...textAnswer(['ok']), eventFrame('assistantResponseEvent', { content: 'lost' })], fault })
    const { events, error } = await chatEvents(f.client, userRequest('x'))
    expect(textOf(events)).toBe('ok')
    expect([error?.status, error?.kind, error?.scope]).toEqual([502, 'bad_gateway', 'member'])
    expect(error?.message).toContain(why)
  })
})

describe('Kiro HTTP errors (before any event)', () => {
  const firstOfNextMonth = Date.UTC(2026, 1, 1) - T0

  test.each([
    ['402 quota', kiroFaults.quota402(), 429, 'quota_exhausted', firstOfNextMonth],
    ['429 throttled with Retry-After', kiroFaults.throttled429(7), 429, 'rate_limited', 7000],
    ['429 monthly count', kiroFaults.monthly429(), 429, 'quota_exhausted', firstOfNextMonth],
    ['403 suspended', kiroFaults.suspended403(), 403, 'permission', undefined],
    ['500 internal', kiroFaults.internal500(), 500, 'upstream_error', undefined],
  ] as const)('%s', async (_name, scenario, status, kind, retryAfterMs) => {
    const f = start()
    f.fake.enqueue(scenario)
    const { events, error } = await chatEvents(f.client, userRequest('x'))
    expect(events).toEqual([])
    expect([error?.status, error?.kind, error?.scope, error?.retryAfterMs]).toEqual([status, kind, 'member', retryAfterMs] as never)
    // None of these is a token problem: no refresh, no replay.
    expect(f.fake.tokens.refreshCalls).toBe(0)
    expect(f.generateCalls()).toBe(1)
  })

  test('an unknown model is passed through unchanged and Kiro’s 400 is the client’s error', async () => {
    const f = start()
    const { error } = await chatEvents(f.client, userRequest('x', { model: 'claude-unknown-9' }))
    expect([error?.status, error?.kind, error?.scope]).toEqual([400, 'invalid_request', 'request'])
    expect(error?.message).toContain('INVALID_MODEL_ID')
    expect(
      (f.fake.journal[0]!.json as { conversationState: { currentMessage: { userInputMessage: { modelId: string } } } }).conversationState.currentMessage
        .userInputMessage.modelId,
    ).toBe('claude-unknown-9')
  })

  test('an image URL is refused with a 400 before anything is sent', async () => {
    const f = start()
    const request = userRequest('x')
    const first = request.messages[0] as Message
    first.parts.push({ type: 'image_url', url: 'https://example.com/cat.png' })
    const { error } = await chatEvents(f.client, request)
    expect([error?.status, error?.scope]).toEqual([400, 'request'])
    expect(f.fake.journal).toHaveLength(0)
  })
})

describe('Kiro listModels and probe', () => {
  test('listModels is the static list of client model ids', async () => {
    const f = start()
    const models = await f.client.listModels(new AbortController().signal)
    expect(models.map((model) => model.id)).toContain('claude-sonnet-4-5')
    expect(f.fake.journal).toHaveLength(0)
  })

  test('probe sends "Hi" and reads the answer to its end', async () => {
    const f = start()
    await f.client.probe(undefined, new AbortController().signal)
    const body = f.fake.journal[0]?.json as { conversationState: { currentMessage: { userInputMessage: { content: string; modelId: string } } } }
    expect(body.conversationState.currentMessage.userInputMessage).toMatchObject({ content: 'Hi', modelId: 'claude-sonnet-4.5' })
  })

  test('probe fails on an exception frame at the end of an otherwise fine stream', async () => {
    const f = start()
    f.fake.enqueue({ kind: 'stream', frames: exceptionAnswer(['Hello'], 'InternalServerException', 'boom') })
    await expect(f.client.probe('claude-haiku-4-5', new AbortController().signal)).rejects.toMatchObject({ status: 500 })
  })

  test('a thinking answer to a probe is consumed without error', async () => {
    const f = start()
    f.fake.enqueue({ kind: 'stream', frames: thinkingAnswer('t', 'x') })
    await f.client.probe('claude-opus-4-6', new AbortController().signal)
    expect(f.generateCalls()).toBe(1)
  })
})
