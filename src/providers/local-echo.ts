// The built-in provider: no network, answers any dialect by echoing the last user text
// (word by word when streaming), so /swagger, the SDKs and benchmarks work without keys.
import { estimateRequestTokens, estimateTextTokens } from '../chat/estimate-tokens.ts'
import { randomId } from '../chat/ids.ts'
import { lastUserText } from '../chat/last-user-text.ts'
import type { ChatEvent, ChatRequest } from '../chat/types.ts'
import type { ChatCall, ModelInfo, ProviderClient, ProviderDefinition, UpstreamReply } from './types.ts'

const MODELS: ModelInfo[] = [{ id: 'local-echo', displayName: 'Local echo', ownedBy: 'switchboard', inputTokenLimit: 1_000_000, outputTokenLimit: 65_536 }]

async function* echoEvents(request: ChatRequest): AsyncGenerator<ChatEvent> {
  const text = lastUserText(request) || '(local-echo: no user text to echo)'
  yield { type: 'start', id: randomId('echo-'), model: request.model, usage: { inputTokens: estimateRequestTokens(request) } }
  // Words keep their trailing spaces so the pieces concatenate back to the exact text.
  const pieces = request.stream ? (text.match(/\S+\s*|\s+/g) ?? [text]) : [text]
  for (const piece of pieces) yield { type: 'text', text: piece }
  yield {
    type: 'finish',
    reason: 'stop',
    usage: { inputTokens: estimateRequestTokens(request), outputTokens: estimateTextTokens(text) },
  }
}

function createEchoClient(): ProviderClient {
  return {
    async chat(call: ChatCall): Promise<UpstreamReply> {
      if (call.format !== 'canonical') throw new Error('local-echo takes canonical requests')
      return { kind: 'events', events: echoEvents(call.request) }
    },
    listModels: async () => MODELS,
    countTokens: async (request) => estimateRequestTokens(request),
    probe: async () => {},
  }
}

export const localEchoProvider: ProviderDefinition = {
  id: 'local-echo',
  accepts: 'canonical',
  notConfigured: () => undefined,
  create: () => createEchoClient(),
}
