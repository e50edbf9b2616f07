// Token counts and finish reasons read from answers passed through unparsed, per dialect.
import { describe, expect, test } from 'bun:test'
import { CODECS } from '../../src/dialects/index.ts'
import { tapChunks, usageOfBody } from '../../src/observe/usage.ts'

const bytes = (text: string) => new TextEncoder().encode(text)

async function drain(chunks: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _ of chunks) {
    // read to the end
  }
}

async function* pieces(...texts: string[]): AsyncIterable<Uint8Array> {
  for (const text of texts) yield bytes(text)
}

describe('usage of passthrough answers', () => {
  test('OpenAI body: prompt and completion tokens, finish_reason', () => {
    const body = '{"choices":[{"finish_reason":"length","message":{"content":"\\"prompt_tokens\\": 99"}}],"usage":{"prompt_tokens":12,"completion_tokens":34}}'
    expect(usageOfBody(bytes(body), CODECS.openai.usageKeys)).toEqual({ input: 12, output: 34, finish: 'length' })
  })

  test('Gemini body: thoughts count as output', () => {
    const body = '{"candidates":[{"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":7,"thoughtsTokenCount":3}}'
    expect(usageOfBody(bytes(body), CODECS.gemini.usageKeys)).toEqual({ input: 5, output: 10, finish: 'STOP' })
  })

  test('Anthropic stream: input from message_start, output and stop reason from the last message_delta', async () => {
    const start = `event: message_start\ndata: {"type":"message_start","message":{"stop_reason":null,"usage":{"input_tokens":21,"output_tokens":1}}}\n\n`
    const middle = Array.from({ length: 50 }, (_, i) => `event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"text":"w${i}"}}\n\n`)
    const end = `event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":57}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n`
    const tapped = tapChunks(pieces(start, ...middle, end), CODECS.anthropic.usageKeys)
    await drain(tapped.chunks)
    expect(tapped.usage()).toEqual({ input: 21, output: 57, finish: 'end_turn' })
  })

  test('an answer without usage reports none', async () => {
    const tapped = tapChunks(pieces('data: {"choices":[{"delta":{"content":"hi"}}]}\n\n', 'data: [DONE]\n\n'), CODECS.openai.usageKeys)
    await drain(tapped.chunks)
    expect(tapped.usage()).toEqual({})
  })
})
