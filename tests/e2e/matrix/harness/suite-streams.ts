// Stream framing and failures, checked on the raw bytes: how each dialect ends a stream,
// and how an upstream error (before or after the first byte) reaches the client.
import { expect, test } from 'bun:test'
import type { Dialect } from '../../../../src/dialects/types.ts'
import { nativeBody, TEXT, type Ask } from './ask.ts'
import { errorMessage, rawChat, sseFrames, type SseFrame } from './clients.ts'
import type { MatrixContext } from './context.ts'
import { receivedDuring } from './suite-conversation.ts'

const UPSTREAM_MESSAGE = 'messages.0.content: bad input ✗ (fake)'

const parse = (frame: SseFrame | undefined): Record<string, unknown> => JSON.parse(frame?.data ?? 'null') as Record<string, unknown>

/** The error body of each dialect for a status (as the client SDKs read it). */
function expectErrorBody(dialect: Dialect, body: unknown, status: number, kind: { openai: string; anthropic: string; gemini: string }): void {
  switch (dialect) {
    case 'openai':
    case 'responses':
      expect(body).toMatchObject({ error: { type: kind.openai } })
      break
    case 'anthropic':
      expect(body).toMatchObject({ type: 'error', error: { type: kind.anthropic } })
      break
    case 'gemini':
      expect(body).toMatchObject({ error: { code: status, status: kind.gemini } })
      break
  }
}

function expectCompleteStream(dialect: Dialect, frames: SseFrame[]): void {
  switch (dialect) {
    case 'openai': {
      expect(frames.at(-1)?.data).toBe('[DONE]')
      expect(frames.filter((frame) => frame.data === '[DONE]').length).toBe(1)
      const chunks = frames.slice(0, -1).map(parse)
      expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true)
      // include_usage: the finish chunk, then the `choices: []` usage chunk, then [DONE].
      expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) } })
      expect(chunks.at(-2)).toMatchObject({ choices: [{ finish_reason: 'stop' }] })
      break
    }
    case 'anthropic': {
      const names = frames.map((frame) => frame.event)
      expect(names[0]).toBe('message_start')
      expect(names.at(-1)).toBe('message_stop')
      expect(names.at(-2)).toBe('message_delta')
      expect(parse(frames.at(-2))).toMatchObject({ delta: { stop_reason: 'end_turn' } })
      for (const frame of frames) expect(parse(frame).type).toBe(frame.event as string)
      break
    }
    case 'responses': {
      const names = frames.map((frame) => frame.event)
      expect(names.slice(0, 2)).toEqual(['response.created', 'response.in_progress'])
      expect(names.at(-1)).toBe('response.completed')
      expect(frames.some((frame) => frame.data === '[DONE]')).toBe(false)
      const sequence = frames.map((frame) => parse(frame).sequence_number)
      expect(sequence).toEqual(frames.map((_, i) => i))
      for (const frame of frames) expect(parse(frame).type).toBe(frame.event as string)
      break
    }
    case 'gemini': {
      const chunks = frames.map(parse)
      expect(chunks.at(-1)).toMatchObject({ candidates: [{ finishReason: 'STOP' }] })
      expect((chunks.at(-1) as { usageMetadata?: unknown }).usageMetadata).toBeDefined()
      expect(chunks.slice(0, -1).some((chunk) => JSON.stringify(chunk).includes('finishReason'))).toBe(false)
      break
    }
  }
}

const isErrorFrame = (dialect: Dialect, frame: SseFrame): boolean =>
  dialect === 'anthropic'
    ? frame.event === 'error'
    : dialect === 'responses'
      ? frame.event === 'error' || frame.event === 'response.failed'
      : frame.data.startsWith('{') && 'error' in parse(frame)

function expectStreamError(dialect: Dialect, frames: SseFrame[]): void {
  const last = frames.at(-1)
  expect(frames.length).toBeGreaterThan(1)
  // One error event ends the stream: nothing after it, not even a second error event.
  expect(frames.filter((frame) => isErrorFrame(dialect, frame)).length).toBe(1)
  switch (dialect) {
    case 'openai':
      expect(parse(last)).toMatchObject({ error: { type: expect.any(String), message: expect.any(String) } })
      expect(frames.some((frame) => frame.data === '[DONE]')).toBe(false)
      break
    case 'anthropic':
      expect(frames[0]?.event).toBe('message_start')
      expect(last?.event).toBe('error')
      expect(parse(last)).toMatchObject({ type: 'error', error: { type: expect.any(String), message: expect.any(String) } })
      expect(frames.some((frame) => frame.event === 'message_stop')).toBe(false)
      break
    case 'gemini':
      expect(parse(last)).toMatchObject({ error: { code: expect.any(Number), status: expect.any(String), message: expect.any(String) } })
      expect(frames.some((frame) => frame.data.includes('finishReason'))).toBe(false)
      break
    case 'responses':
      // The gateway's own failure is an `error` event; an upstream's passed through may be response.failed.
      expect(frames[0]?.event).toBe('response.created')
      expect(['error', 'response.failed']).toContain(last?.event as string)
      expect(parse(last)).toMatchObject({ type: last?.event })
      expect(frames.some((frame) => frame.event === 'response.completed')).toBe(false)
      break
  }
}

export function streamTests(ctx: MatrixContext, dialect: Dialect): void {
  const ask = (): Ask => ({ model: ctx.upstream.model, turns: [{ role: 'user', text: TEXT }] })

  test('a stream ends the way the dialect ends one', async () => {
    const res = await rawChat(dialect, ctx.gw, ask(), true)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    expectCompleteStream(dialect, sseFrames(await res.text()))
  })

  if (dialect === 'gemini') {
    test('streamGenerateContent without alt=sse answers one JSON array ending with finishReason', async () => {
      const res = await fetch(`${ctx.gw.url}/v1beta/models/${ctx.upstream.model}:streamGenerateContent`, {
        method: 'POST',
        headers: { 'x-goog-api-key': ctx.gw.key, 'content-type': 'application/json' },
        body: JSON.stringify(nativeBody('gemini', ask(), true)),
      })
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain('application/json')
      const chunks = JSON.parse(await res.text()) as Array<{ candidates?: Array<{ content?: { parts?: Array<{ text?: string }> } }> }>
      expect(Array.isArray(chunks)).toBe(true)
      expect(chunks.at(-1)).toMatchObject({ candidates: [{ finishReason: 'STOP' }] })
      const text = chunks.flatMap((chunk) => chunk.candidates?.[0]?.content?.parts ?? []).map((part) => part.text ?? '')
      expect(text.join('')).toBe(ctx.upstream.echo(TEXT))
    })
  }

  for (const stream of [false, true]) {
    test(`an upstream 400 comes back as a 400 in the client’s dialect, message kept (${stream ? 'stream' : 'non-stream'} request)`, async () => {
      ctx.upstream.failWithStatus(400, UPSTREAM_MESSAGE, undefined, stream)
      // The request's own fault: answered at once, never retried.
      const { result: res } = await receivedDuring(ctx, () => rawChat(dialect, ctx.gw, ask(), stream))
      expect(res.status).toBe(400)
      expect(res.headers.get('content-type')).toContain('application/json')
      const body: unknown = await res.json()
      expectErrorBody(dialect, body, 400, { openai: 'invalid_request_error', anthropic: 'invalid_request_error', gemini: 'INVALID_ARGUMENT' })
      expect(errorMessage(body)).toContain(UPSTREAM_MESSAGE)
    })
  }

  test('an upstream 429 keeps its status and Retry-After', async () => {
    const gw = await ctx.freshGateway()
    ctx.upstream.failWithStatus(429, 'slow down', 7, false)
    // The only member rests for the hinted time instead of being asked again at once.
    const { result: res } = await receivedDuring(ctx, () => rawChat(dialect, gw, ask(), false))
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('7')
    expectErrorBody(dialect, await res.json(), 429, { openai: 'rate_limit_exceeded', anthropic: 'rate_limit_error', gemini: 'RESOURCE_EXHAUSTED' })
  })

  test('an upstream failure after the stream started ends it with the dialect’s error event', async () => {
    ctx.upstream.failMidStream()
    const res = await rawChat(dialect, ctx.gw, ask(), true)
    expect(res.status).toBe(200)
    expectStreamError(dialect, sseFrames(await res.text()))
  })
}
