// openai-custom against the fake OpenAI server; the shape of every OpenAI-style upstream.
import { openaiError, openaiRateLimited, startFakeOpenAI } from '../../../../fakes/openai/index.ts'
import type { FakeChatUpstream } from '../../../../fakes/shared/scenario.ts'
import type { ProviderId } from '../../../../../src/providers/types.ts'
import { openaiReaders } from '../readers.ts'
import { asRecord, type NativeReaders, type Upstream } from '../upstream.ts'

const API_KEY = 'sk-fake-openai-key-0123456789'

/** A fake speaking OpenAI's error shapes and scenario queue, as the matrix drives it. */
export function openaiStyleUpstream(
  fake: FakeChatUpstream,
  spec: { provider: ProviderId; model: string; chatPath: string; readers: NativeReaders; apiKey: string; config: Upstream['config'] },
): Upstream {
  return {
    ...spec.readers,
    provider: spec.provider,
    model: spec.model,
    config: spec.config,
    secrets: () => [spec.apiKey],
    chatBodies: () => fake.journal.filter((entry) => entry.path === spec.chatPath).map((entry) => asRecord(entry.json)),
    echo: (text) => `echo: ${text}`,
    answerThinking: (thinking, text) => fake.enqueue({ kind: 'thinking', thinking, text }),
    answerToolCalls: (calls) => fake.enqueue({ kind: 'tool_calls', calls: calls.map((call) => ({ name: call.name, arguments: call.args })) }),
    answerLength: () => {
      fake.enqueue({ kind: 'length' })
      return {}
    },
    failWithStatus: (status, message, retryAfterS) =>
      fake.enqueue(status === 429 ? openaiRateLimited(retryAfterS ?? 1) : openaiError(status, 'invalid_request_error', null, message)),
    failMidStream: () => fake.enqueue({ kind: 'stream-error-after', chunks: 1 }),
    carriesParams: true,
    stop: () => fake.stop(),
  }
}

export async function openaiCustomUpstream(): Promise<Upstream> {
  const fake = await startFakeOpenAI({ apiKey: API_KEY })
  return openaiStyleUpstream(fake, {
    provider: 'openai-custom',
    model: 'gpt-4o-mini',
    chatPath: '/v1/chat/completions',
    readers: openaiReaders,
    apiKey: API_KEY,
    config: { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: fake.url },
  })
}
