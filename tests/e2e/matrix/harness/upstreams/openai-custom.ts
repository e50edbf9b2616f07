// openai-custom against the fake OpenAI server.
import { openaiError, openaiRateLimited, startFakeOpenAI } from '../../../../fakes/openai/index.ts'
import { openaiReaders } from '../readers.ts'
import { asRecord, type Upstream } from '../upstream.ts'

const API_KEY = 'sk-fake-openai-key-0123456789'

export async function openaiCustomUpstream(): Promise<Upstream> {
  const fake = await startFakeOpenAI({ apiKey: API_KEY })
  return {
    ...openaiReaders,
    provider: 'openai-custom',
    model: 'gpt-4o-mini',
    config: { OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: fake.url },
    secrets: () => [API_KEY],
    chatBodies: () => fake.journal.filter((entry) => entry.path === '/v1/chat/completions').map((entry) => asRecord(entry.json)),
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
