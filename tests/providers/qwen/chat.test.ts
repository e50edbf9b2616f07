import { afterEach, describe, expect, test } from 'bun:test'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import type { UpstreamReply } from '../../../src/providers/types.ts'
import { freeQuotaExceeded, quotaExceeded429, rateLimited, serverError } from '../../fakes/qwen/replies.ts'
import { HELLO, HOUR, NOW, openaiCall, startQwenHarness, type QwenHarness } from './harness.ts'

let harness: QwenHarness | undefined
afterEach(() => harness?.fake.stop())

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  )
const signal = new AbortController().signal

function responseOf(reply: UpstreamReply): Response {
  if (reply.kind !== 'http') throw new Error('expected an http reply')
  expect(reply.dialect).toBe('openai')
  return reply.response
}

describe('openai-qwen-oauth chat', () => {
  test("posts to the token's resource_url with Qwen Code's headers and answers the upstream response as is", async () => {
    harness = startQwenHarness()
    const response = responseOf(await harness.client.chat(openaiCall(HELLO)))
    const [call] = harness.fake.chatCalls()
    expect(call?.path).toBe('/v1/chat/completions')
    expect(call?.headers.get('authorization')).toBe(`Bearer ${harness.accessToken}`)
    expect(call?.headers.get('x-dashscope-authtype')).toBe('qwen-oauth')
    expect(call?.headers.get('x-dashscope-cachecontrol')).toBe('enable')
    expect(call?.headers.get('user-agent')).toStartWith('QwenCode/')
    expect(call?.headers.get('x-dashscope-useragent')).toBe(call?.headers.get('user-agent') ?? '')
    expect(call?.headers.get('accept')).toBe('application/json')
    expect(await response.json()).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'echo: hello there world' } }] })
  })

  test("the client's bytes go through untouched: no injected tool, no rewritten system message", async () => {
    harness = startQwenHarness()
    const raw = '{"model":"coder-model","messages":[{"role":"system","content":"Be brief"},{"role":"user","content":"hi"}],"temperature":0}'
    await harness.client.chat(openaiCall(JSON.parse(raw) as Record<string, unknown>, { raw }))
    expect(harness.fake.chatCalls()[0]?.body).toBe(raw)
  })

  test('when the routed model differs from the body, only the model is replaced', async () => {
    harness = startQwenHarness()
    await harness.client.chat(openaiCall({ model: 'my-alias', messages: HELLO.messages, user: 'u1' }, { model: 'qwen3-coder-plus' }))
    expect(harness.fake.chatCalls()[0]?.json).toEqual({ model: 'qwen3-coder-plus', messages: HELLO.messages, user: 'u1', stream: false })
  })

  test('a stream is passed through as SSE, with a usage chunk only when the client asked for one', async () => {
    harness = startQwenHarness()
    const plain = responseOf(await harness.client.chat(openaiCall({ ...HELLO, stream: true })))
    const plainText = await plain.text()
    expect(plainText.endsWith('data: [DONE]\n\n')).toBe(true)
    expect(plainText).not.toContain('"usage"')
    expect((harness.fake.chatCalls()[0]!.json as Record<string, unknown>).stream_options).toBeUndefined()
    expect(harness.fake.chatCalls()[0]?.headers.get('accept')).toBe('text/event-stream')

    const withUsage = responseOf(await harness.client.chat(openaiCall({ ...HELLO, stream: true, stream_options: { include_usage: true } })))
    expect(await withUsage.text()).toContain('"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}')
  })

  test('without a resource_url in the token, QWEN_BASE_URL is used, normalised with /v1', async () => {
    harness = startQwenHarness({
      creds: (t) => ({ access_token: t.accessToken, refresh_token: t.refreshToken, expiry_date: NOW + HOUR }),
      config: (fake) => ({ QWEN_BASE_URL: fake.chatOrigin }),
    })
    responseOf(await harness.client.chat(openaiCall(HELLO)))
    expect(harness.fake.chatCalls().map((entry) => entry.path)).toEqual(['/v1/chat/completions'])
  })

  test('free quota exhausted (403 insufficient_quota) → quota_exhausted until midnight in Shanghai', async () => {
    harness = startQwenHarness()
    harness.fake.scriptChat(freeQuotaExceeded())
    const error = await failure(harness.client.chat(openaiCall(HELLO)))
    expect(error).toBeInstanceOf(GatewayError)
    // NOW is 12:00 UTC = 20:00 in Shanghai: four hours to the reset.
    expect(error).toMatchObject({ status: 429, kind: 'quota_exhausted', scope: 'member', retryAfterMs: 4 * HOUR, upstreamStatus: 403 })
    expect((error as Error).message).toContain('Free allocated quota exceeded.')
    expect(harness.fake.authority.refreshCalls).toBe(0)
  })

  test('the reset time follows the injected clock', async () => {
    harness = startQwenHarness()
    harness.clock.now = Date.UTC(2026, 0, 15, 15, 59, 30)
    harness.fake.scriptChat(quotaExceeded429())
    expect(await failure(harness.client.chat(openaiCall(HELLO)))).toMatchObject({ kind: 'quota_exhausted', retryAfterMs: 30_000, upstreamStatus: 429 })
  })

  test('a plain 429 is rate_limited with its Retry-After', async () => {
    harness = startQwenHarness()
    harness.fake.scriptChat(rateLimited(7))
    expect(await failure(harness.client.chat(openaiCall(HELLO)))).toMatchObject({ status: 429, kind: 'rate_limited', scope: 'member', retryAfterMs: 7000 })
  })

  test('a 5xx is a member-scoped upstream error', async () => {
    harness = startQwenHarness()
    harness.fake.scriptChat(serverError())
    expect(await failure(harness.client.chat(openaiCall(HELLO)))).toMatchObject({ status: 500, scope: 'member' })
  })

  test('an unknown model is the request’s fault, and is not replaced by another model', async () => {
    harness = startQwenHarness()
    const error = await failure(harness.client.chat(openaiCall({ ...HELLO, model: 'qwen-9000' })))
    expect(error).toMatchObject({ status: 404, scope: 'request' })
    expect((error as Error).message).toContain('qwen-9000')
    expect((harness.fake.chatCalls()[0]!.json as { model: string }).model).toBe('qwen-9000')
  })

  test('listModels is the static Qwen list; probe asks for one token', async () => {
    harness = startQwenHarness()
    expect((await harness.client.listModels(signal)).map((model) => model.id)).toEqual(['coder-model', 'vision-model', 'qwen3-coder-plus', 'qwen3-coder-flash'])
    await harness.client.probe(undefined, signal)
    await harness.client.probe('qwen3-coder-flash', signal)
    const bodies = harness.fake.chatCalls().map((entry) => entry.json as { model: string; max_tokens: number })
    expect(bodies.map((body) => [body.model, body.max_tokens])).toEqual([
      ['coder-model', 1],
      ['qwen3-coder-flash', 1],
    ])
  })
})
