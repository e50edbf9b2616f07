// openai-responses-custom against the fake Responses API server.
import { startFakeResponses } from '../../../../fakes/openai-responses/index.ts'
import { responsesReaders } from '../readers.ts'
import type { Upstream } from '../upstream.ts'
import { openaiStyleUpstream } from './openai-custom.ts'

const API_KEY = 'sk-fake-responses-key-0123456789'

export async function openaiResponsesCustomUpstream(): Promise<Upstream> {
  const fake = await startFakeResponses({ apiKey: API_KEY })
  return openaiStyleUpstream(fake, {
    provider: 'openai-responses-custom',
    model: 'gpt-4.1-mini',
    chatPath: '/v1/responses',
    readers: responsesReaders,
    apiKey: API_KEY,
    config: { OPENAI_RESPONSES_API_KEY: API_KEY, OPENAI_RESPONSES_BASE_URL: fake.url },
  })
}
