// A fake OpenAI Responses API upstream: `POST /v1/responses` plays scripted scenarios
// (default: echo the last user text), `GET /v1/models` lists models. It checks the Bearer
// key and the body's frame (model, input) as the real API does before generating.
import { isRecord } from '../../../src/json/read.ts'
import { seededRandom } from '../../helpers/chunks.ts'
import { openaiErrorBody } from '../openai/errors.ts'
import { checkBearer } from '../openai/validate.ts'
import { openaiJson } from '../openai/wire.ts'
import { startFakeServer } from '../shared/fake-server.ts'
import { respond } from '../shared/respond.ts'
import { ScenarioQueue, type FakeChatUpstream } from '../shared/scenario.ts'
import { estimateTokens } from '../shared/text-pieces.ts'
import { responsesWire } from './wire.ts'

export interface FakeResponsesOptions {
  apiKey: string
  models?: string[]
  seed?: number
  now?: () => number
}

export type FakeResponses = FakeChatUpstream

/** The text of the last user input (a string input, or the last user message's text parts). */
export function lastUserInput(input: unknown): string {
  if (typeof input === 'string') return input
  const items = Array.isArray(input) ? input : []
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]
    if (!isRecord(item) || item.role !== 'user') continue
    if (typeof item.content === 'string') return item.content
    return (Array.isArray(item.content) ? item.content : [])
      .filter(isRecord)
      .map((part) => (part.type === 'input_text' && typeof part.text === 'string' ? part.text : ''))
      .filter((text) => text !== '')
      .join('\n')
  }
  return ''
}

export async function startFakeResponses(options: FakeResponsesOptions): Promise<FakeResponses> {
  const now = options.now ?? Date.now
  const models = options.models ?? ['gpt-4.1-mini', 'gpt-4.1']
  const queue = new ScenarioQueue()
  let requests = 0

  const server = startFakeServer((req, entry) => {
    const n = ++requests
    const requestId = `req_fake${n}`
    const denied = checkBearer(entry, options.apiKey)
    if (denied) return openaiJson(denied.status, denied.body, requestId)
    if (entry.method === 'GET' && entry.path === '/v1/models') {
      return openaiJson(200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1_715_367_049, owned_by: 'fake' })) }, requestId)
    }
    if (entry.method !== 'POST' || entry.path !== '/v1/responses') {
      return openaiJson(404, openaiErrorBody('invalid_request_error', null, `Invalid URL (${entry.method} ${entry.path})`), requestId)
    }
    const body = entry.json
    if (!isRecord(body) || typeof body.model !== 'string' || body.model === '') {
      return openaiJson(400, openaiErrorBody('invalid_request_error', 'missing_required_parameter', "Missing required parameter: 'model'.", 'model'), requestId)
    }
    if (typeof body.input !== 'string' && !Array.isArray(body.input)) {
      return openaiJson(400, openaiErrorBody('invalid_request_error', 'invalid_type', "Invalid type for 'input'.", 'input'), requestId)
    }
    const wire = responsesWire({ id: `resp_fake${n}`, requestId, createdAt: Math.floor(now() / 1000), model: body.model })
    return respond(queue.next() ?? { kind: 'text' }, {
      wire,
      stream: body.stream === true,
      signal: req.signal,
      pacing: {},
      answerInput: {
        lastUserText: lastUserInput(body.input),
        inputTokens: Math.max(1, estimateTokens(entry.rawBody.length)),
        toolCallId: (index) => `call_fake${n}_${index}`,
        random: seededRandom((options.seed ?? 1) + n),
      },
    })
  }, now)

  return {
    url: `${server.origin}/v1`,
    origin: server.origin,
    port: server.port,
    journal: server.journal,
    waitForRequests: server.waitForRequests,
    peakConcurrent: server.peakConcurrent,
    enqueue: (...scenarios) => queue.enqueue(...scenarios),
    pending: () => queue.pending,
    stop: server.stop,
  }
}
