// A fake Anthropic Messages API (docs/protocols.md#fakes): `POST /v1/messages` plays scripted
// scenarios (default: echo the last user text), plus count_tokens and the paged model list.
// `/messages` answers too (docs/protocols.md#anthropic-endpoints-and-auth: some configurations put `/v1` into the base URL, some not).
import { seededRandom } from '../../helpers/chunks.ts'
import type { Pacing } from '../shared/body-writer.ts'
import { startFakeServer } from '../shared/fake-server.ts'
import type { JournalEntry } from '../shared/journal.ts'
import { respond } from '../shared/respond.ts'
import { ScenarioQueue, type FakeChatUpstream } from '../shared/scenario.ts'
import { anthropicErrorBody } from './errors.ts'
import { modelEntry, modelPage } from './models.ts'
import { checkHeaders, checkMessagesBody, lastUserText, type Rejection } from './validate.ts'
import { anthropicJson, anthropicWire } from './wire.ts'

export interface FakeAnthropicOptions {
  apiKey: string
  /** Listed by `GET /v1/models`. */
  models?: string[]
  /** Answer 404 `not_found_error` for a model not in `models`. */
  rejectUnknownModels?: boolean
  /** Also serve `/messages` and `/messages/count_tokens` (default true). */
  unversionedAlias?: boolean
  /** Seeds where tool-use input JSON is cut. */
  seed?: number
  /** Write every response body in random byte pieces. */
  splitWrites?: { seed: number; maxPiece?: number }
  now?: () => number
}

/** The fake Anthropic upstream; its `url` is the origin without `/v1`, as `CLAUDE_BASE_URL` is usually set. */
export type FakeAnthropic = FakeChatUpstream

const DEFAULT_MODELS = ['claude-sonnet-4-5-20250929', 'claude-opus-4-1-20250805', 'claude-3-5-haiku-20241022']

type Route = 'messages' | 'count_tokens' | 'models' | 'model' | undefined

function routeOf(entry: JournalEntry, alias: boolean): Route {
  const path = alias && !entry.path.startsWith('/v1/') ? `/v1${entry.path}` : entry.path
  if (entry.method === 'POST' && path === '/v1/messages') return 'messages'
  if (entry.method === 'POST' && path === '/v1/messages/count_tokens') return 'count_tokens'
  if (entry.method === 'GET' && entry.path === '/v1/models') return 'models'
  if (entry.method === 'GET' && entry.path.startsWith('/v1/models/')) return 'model'
  return undefined
}

export async function startFakeAnthropic(options: FakeAnthropicOptions): Promise<FakeAnthropic> {
  const now = options.now ?? Date.now
  const models = options.models ?? DEFAULT_MODELS
  const alias = options.unversionedAlias ?? true
  const queue = new ScenarioQueue()
  const seed = options.seed ?? 1
  const pacing: Pacing = options.splitWrites ? { split: { seed: options.splitWrites.seed, maxPiece: options.splitWrites.maxPiece ?? 7 } } : {}
  let requests = 0

  const reject = (rejection: Rejection, requestId: string) =>
    anthropicJson(rejection.status, anthropicErrorBody(rejection.type, rejection.message, requestId), requestId)
  const unknownModel = (model: string): Rejection | undefined =>
    options.rejectUnknownModels && !models.includes(model) ? { status: 404, type: 'not_found_error', message: `model: ${model}` } : undefined

  const messages = (req: Request, entry: JournalEntry, n: number, requestId: string): Promise<Response> | Response => {
    const facts = checkMessagesBody(entry, true)
    if ('status' in facts) return reject(facts, requestId)
    const missing = unknownModel(facts.model)
    if (missing) return reject(missing, requestId)
    return respond(queue.next() ?? { kind: 'text' }, {
      wire: anthropicWire({ id: `msg_fake${n}`, requestId, model: facts.model }),
      stream: facts.stream,
      signal: req.signal,
      pacing,
      answerInput: {
        lastUserText: lastUserText(facts.messages),
        inputTokens: facts.inputTokens,
        toolCallId: (index) => `toolu_fake${n}_${index}`,
        random: seededRandom(seed + n),
      },
    })
  }

  const server = startFakeServer((req, entry) => {
    const n = ++requests
    const requestId = `req_fake${n}`
    const denied = checkHeaders(entry, options.apiKey)
    if (denied) return reject(denied, requestId)
    switch (routeOf(entry, alias)) {
      case 'messages':
        return messages(req, entry, n, requestId)
      case 'count_tokens': {
        const facts = checkMessagesBody(entry, false)
        if ('status' in facts) return reject(facts, requestId)
        return anthropicJson(200, { input_tokens: facts.inputTokens }, requestId)
      }
      case 'models': {
        const page = modelPage(models, entry.query)
        if (typeof page === 'string') return reject({ status: 400, type: 'invalid_request_error', message: page }, requestId)
        return anthropicJson(200, page, requestId)
      }
      case 'model': {
        const id = decodeURIComponent(entry.path.slice('/v1/models/'.length))
        if (models.includes(id)) return anthropicJson(200, modelEntry(id), requestId)
        return reject({ status: 404, type: 'not_found_error', message: `model: ${id}` }, requestId)
      }
      case undefined:
        return reject({ status: 404, type: 'not_found_error', message: 'Not Found' }, requestId)
    }
  }, now)

  return {
    url: server.origin,
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
