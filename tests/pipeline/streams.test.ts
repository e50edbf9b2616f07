import { describe, expect, test } from 'bun:test'
import { CODECS } from '../../src/dialects/index.ts'
import type { GatewayError } from '../../src/errors/gateway-error.ts'
import { passthroughBody } from '../../src/pipeline/streams.ts'
import { watchBody } from '../../src/upstream/body.ts'
import { randomlySplit } from '../helpers/chunks.ts'

async function run(text: string, dialect: 'openai' | 'anthropic' | 'gemini', seed = 1) {
  let ended: { error?: GatewayError } | undefined
  let body!: ReadableStream<Uint8Array>
  const done = new Promise<void>((resolve) => {
    const pieces = randomlySplit(text, seed, 5)
    const upstream = new Response(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await pieces.next()
          if (next.done) controller.close()
          else controller.enqueue(next.value)
        },
      }),
    )
    const hooks = {
      forClient: (text: string) => text,
      onEnd(error?: GatewayError) {
        ended = error ? { error } : {}
        resolve()
      },
    }
    body = passthroughBody(watchBody(upstream, { idleMs: 60_000, maxBytes: 1 << 20, now: Date.now }).chunks(), CODECS[dialect], hooks)
  })
  const [out] = await Promise.all([new Response(body).text(), done])
  return { out, ended }
}

describe('passthroughBody', () => {
  const openaiDone = 'data: {"choices":[{"delta":{"content":"hé"}}]}\n\ndata: [DONE]\n\n'

  test('a complete stream passes byte for byte, whatever the chunking', async () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { out, ended } = await run(openaiDone, 'openai', seed)
      expect(out).toBe(openaiDone)
      expect(ended).toEqual({})
    }
  })

  test('a stream cut before its terminator gets the dialect error event appended', async () => {
    const cut = 'event: message_start\ndata: {"type":"message_start"}\n\n'
    const { out, ended } = await run(cut, 'anthropic')
    expect(out.startsWith(cut)).toBe(true)
    expect(out).toContain('event: error')
    expect(ended?.error?.status).toBe(502)
  })

  test('answer text that mentions a terminator does not count as one', async () => {
    const sneaky = 'data: {"choices":[{"delta":{"content":"say data: [DONE] and \\"type\\":\\"message_stop\\""}}]}\n\n'
    const { out, ended } = await run(sneaky, 'openai')
    expect(out).toContain('data: {"error":')
    expect(ended?.error?.status).toBe(502)
  })

  test("the upstream's own error event is the last word, decoded for the member's record", async () => {
    const failed = 'data: {"choices":[{"delta":{"content":"x"}}]}\n\ndata: {"error":{"message":"slow down","type":"rate_limit_exceeded","code":429}}\n\n'
    for (let seed = 1; seed <= 10; seed++) {
      const { out, ended } = await run(failed, 'openai', seed)
      expect(out).toBe(failed)
      expect(ended?.error?.status).toBe(429)
    }
  })
})
