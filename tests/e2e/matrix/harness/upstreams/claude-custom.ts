// claude-custom against the fake Anthropic Messages API.
import { anthropicError, anthropicRateLimited, startFakeAnthropic } from '../../../../fakes/anthropic/index.ts'
import { anthropicReaders } from '../readers.ts'
import { asRecord, type Upstream } from '../upstream.ts'

const API_KEY = 'sk-ant-fake-key-0123456789'

export async function claudeCustomUpstream(): Promise<Upstream> {
  const fake = await startFakeAnthropic({ apiKey: API_KEY })
  return {
    ...anthropicReaders,
    provider: 'claude-custom',
    model: 'claude-opus-4-1-20250805',
    config: { CLAUDE_API_KEY: API_KEY, CLAUDE_BASE_URL: fake.url },
    secrets: () => [API_KEY],
    chatBodies: () => fake.journal.filter((entry) => entry.path === '/v1/messages').map((entry) => asRecord(entry.json)),
    echo: (text) => `echo: ${text}`,
    answerThinking: (thinking, text) => fake.enqueue({ kind: 'thinking', thinking, text }),
    answerToolCalls: (calls) => fake.enqueue({ kind: 'tool_calls', calls: calls.map((call) => ({ name: call.name, arguments: call.args })) }),
    answerLength: () => {
      fake.enqueue({ kind: 'length' })
      return {}
    },
    failWithStatus: (status, message, retryAfterS) =>
      fake.enqueue(status === 429 ? anthropicRateLimited(retryAfterS ?? 1) : anthropicError(status, 'invalid_request_error', message)),
    failMidStream: () => fake.enqueue({ kind: 'stream-error-after', chunks: 1 }),
    defaultMaxTokens: 8192,
    carriesParams: true,
    stop: () => fake.stop(),
  }
}
