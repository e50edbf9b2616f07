// A fake OpenAI-compatible upstream (docs/protocols.md#fakes): `POST /v1/chat/completions` plays
// scripted scenarios (default: echo the last user text), `GET /v1/models` lists models.
import { seededRandom } from '../../helpers/chunks.ts'
import type { Pacing } from '../shared/body-writer.ts'
import { startFakeServer } from '../shared/fake-server.ts'
import type { JournalEntry } from '../shared/journal.ts'
import { respond } from '../shared/respond.ts'
import { ScenarioQueue, type FakeChatUpstream } from '../shared/scenario.ts'
import { estimateTokens } from '../shared/text-pieces.ts'
import { openaiErrorBody } from './errors.ts'
import { checkBearer, checkChatBody, lastUserText } from './validate.ts'
import { openaiJson, openaiWire } from './wire.ts'

export interface FakeOpenAIOptions {
  apiKey: string
  /** Listed by `GET /v1/models`. */
  models?: string[]
  /** Answer 404 `model_not_found` for a model not in `models`. */
  rejectUnknownModels?: boolean
  /** Seeds where tool-call arguments are cut. */
  seed?: number
  /** Write every response body in random byte pieces. */
  splitWrites?: { seed: number; maxPiece?: number }
  now?: () => number
}

/** The fake OpenAI upstream; its `url` includes `/v1`, as `OPENAI_BASE_URL` expects. */
export type FakeOpenAI = FakeChatUpstream

const DEFAULT_MODELS = ['gpt-4o-mini', 'gpt-4o']
const MODEL_CREATED = 1_715_367_049

export async function startFakeOpenAI(options: FakeOpenAIOptions): Promise<FakeOpenAI> {
  const now = options.now ?? Date.now
  const models = options.models ?? DEFAULT_MODELS
  const queue = new ScenarioQueue()
  const seed = options.seed ?? 1
  const pacing: Pacing = options.splitWrites ? { split: { seed: options.splitWrites.seed, maxPiece: options.splitWrites.maxPiece ?? 7 } } : {}
  let requests = 0

  const modelEntry = (id: string) => ({ id, object: 'model', created: MODEL_CREATED, owned_by: 'fake' })

  const chat = (req: Request, entry: JournalEntry, n: number, requestId: string): Promise<Response> | Response => {
    const facts = checkChatBody(entry)
    if ('status' in facts) return openaiJson(facts.status, facts.body, requestId)
    if (options.rejectUnknownModels && !models.includes(facts.model)) {
      const message = `The model \`${facts.model}\` does not exist or you do not have access to it.`
      return openaiJson(404, openaiErrorBody('invalid_request_error', 'model_not_found', message), requestId)
    }
    const wire = openaiWire({
      id: `chatcmpl-fake${n}`,
      requestId,
      created: Math.floor(now() / 1000),
      model: facts.model,
      includeUsage: facts.includeUsage,
    })
    return respond(queue.next() ?? { kind: 'text' }, {
      wire,
      stream: facts.stream,
      signal: req.signal,
      pacing,
      answerInput: {
        lastUserText: lastUserText(facts.messages),
        inputTokens: Math.max(1, estimateTokens(entry.rawBody.length)),
        toolCallId: (index) => `call_fake${n}_${index}`,
        random: seededRandom(seed + n),
      },
    })
  }

  const server = startFakeServer((req, entry) => {
    const n = ++requests
    const requestId = `req_fake${n}`
    const denied = checkBearer(entry, options.apiKey)
    if (denied) return openaiJson(denied.status, denied.body, requestId)
    if (entry.method === 'POST' && entry.path === '/v1/chat/completions') return chat(req, entry, n, requestId)
    if (entry.method === 'GET' && entry.path === '/v1/models') {
      return openaiJson(200, { object: 'list', data: models.map(modelEntry) }, requestId)
    }
    if (entry.method === 'GET' && entry.path.startsWith('/v1/models/')) {
      const id = decodeURIComponent(entry.path.slice('/v1/models/'.length))
      if (models.includes(id)) return openaiJson(200, modelEntry(id), requestId)
      const message = `The model '${id}' does not exist`
      return openaiJson(404, openaiErrorBody('invalid_request_error', 'model_not_found', message, 'model'), requestId)
    }
    return openaiJson(404, openaiErrorBody('invalid_request_error', null, `Invalid URL (${entry.method} ${entry.path})`), requestId)
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
