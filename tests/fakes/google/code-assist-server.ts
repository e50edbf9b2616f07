// Fake cloudcode-pa.googleapis.com: the v1internal methods the Gemini CLI uses, with a
// per-account state for project discovery, bearer checks against the token authority,
// scripted failures, and SSE streams that can be held or cut mid-way.
import { googleError, unauthenticated, type FakeReply } from './errors.ts'
import { countWords, isKnownModel, streamedReply, wholeReply } from './gemini-replies.ts'
import { recordRequest, type JournalEntry } from './journal.ts'
import type { TokenAuthority } from '../shared/token-authority.ts'

export type AccountState = 'onboarded' | 'new' | 'validation' | 'ineligible' | 'security-policy'

export interface CodeAssistState {
  account: AccountState
  /** The project onboarding creates (and the only one generate calls accept). */
  project: string
  /** onboardUser/getOperation calls answered `done:false` before the operation completes. */
  pendingPolls: number
  /** Whether operations carry a name (without one, clients must re-POST onboardUser). */
  operationNames: boolean
  /** Whether `GET /v1internal/operations/…` exists (404 otherwise). */
  getOperations: boolean
}

/** A stream that sends its first event, then waits for `release` before the rest. */
export interface HeldStream {
  holdAfterFirst: Promise<void>
}

/** A stream whose connection breaks after `cutAfterEvents` events (once `cutWhen` settles, if given). */
export interface CutStream {
  cutAfterEvents: number
  cutWhen?: Promise<void>
}

export type CodeAssistScript = FakeReply | HeldStream | CutStream

export interface CodeAssistFakeOptions {
  authority: TokenAuthority
  journal: JournalEntry[]
  state: CodeAssistState
  /** Scripted behaviours per method name (`generateContent`, `onboardUser`, …). */
  scripts: Map<string, CodeAssistScript[]>
}

export function startCodeAssistFake(options: CodeAssistFakeOptions) {
  let traces = 0
  let onboardingCalls = 0
  const { state } = options

  const operation = () => {
    const done = onboardingCalls++ >= state.pendingPolls
    const name = state.operationNames ? { name: 'operations/op1' } : {}
    if (!done) return json(200, { ...name, done: false })
    state.account = 'onboarded'
    const response = {
      '@type': 'type.googleapis.com/google.internal.cloud.code.v1internal.OnboardUserResponse',
      cloudaicompanionProject: { id: state.project, name: 'Fake Project' },
    }
    return json(200, { ...name, done: true, response })
  }

  const loadCodeAssist = () => {
    const tier = { id: 'free-tier', name: 'Gemini Code Assist for individuals', isDefault: true, userDefinedCloudaicompanionProject: false }
    switch (state.account) {
      case 'onboarded':
        return json(200, { currentTier: tier, allowedTiers: [tier], cloudaicompanionProject: state.project })
      case 'new':
        return json(200, {
          allowedTiers: [tier, { id: 'standard-tier', name: 'Gemini Code Assist', isDefault: false, userDefinedCloudaicompanionProject: true }],
        })
      case 'validation':
        return json(200, {
          ineligibleTiers: [
            {
              reasonCode: 'VALIDATION_REQUIRED',
              reasonMessage: 'Verify your account to continue.',
              tierId: 'free-tier',
              tierName: tier.name,
              validationUrl: 'https://accounts.google.com/signin/continue?fake=validate',
            },
          ],
        })
      case 'ineligible':
        return json(200, {
          ineligibleTiers: [{ reasonCode: 'INELIGIBLE_ACCOUNT', reasonMessage: 'Not available for this account.', tierId: 'free-tier', tierName: tier.name }],
        })
      case 'security-policy':
        return reply(googleError(403, 'PERMISSION_DENIED', 'Request violates the security policy.', [{ reason: 'SECURITY_POLICY_VIOLATED' }]))
    }
  }

  const generate = (body: Record<string, unknown>, stream: boolean, sse: boolean, script: CodeAssistScript | undefined) => {
    const request = body.request as Record<string, unknown> | undefined
    if (typeof body.model !== 'string' || typeof body.project !== 'string' || !request || !Array.isArray(request.contents)) {
      return reply(googleError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.'))
    }
    if (body.project !== state.project) return reply(googleError(403, 'PERMISSION_DENIED', `Permission denied on resource project ${body.project}.`))
    if (!isKnownModel(body.model)) return reply(googleError(404, 'NOT_FOUND', 'Requested entity was not found.'))
    const traceId = `trace-${++traces}`
    if (!stream) return json(200, wholeReply(body.model, traceId, request))
    const events = streamedReply(body.model, traceId, request)
    if (!sse) return json(200, events)
    return sseResponse(events, script)
  }

  return Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const entry = await recordRequest('code-assist', request)
      options.journal.push(entry)
      const bearer = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1]
      if (bearer === undefined || !options.authority.isLive(bearer)) return reply(unauthenticated())
      const getMatch = /^\/v1internal\/(operations\/[^/]+)$/.exec(entry.path)
      if (request.method === 'GET' && getMatch) {
        if (!state.getOperations || getMatch[1] !== 'operations/op1') return reply(googleError(404, 'NOT_FOUND', 'Requested entity was not found.'))
        return operation()
      }
      const method = /^\/v1internal:([A-Za-z]+)$/.exec(entry.path)?.[1]
      if (request.method !== 'POST' || method === undefined) return reply(googleError(404, 'NOT_FOUND', 'Method not found.'))
      const script = options.scripts.get(method)?.shift()
      if (script && 'status' in script) return reply(script)
      const body = (entry.json ?? {}) as Record<string, unknown>
      switch (method) {
        case 'loadCodeAssist':
          return loadCodeAssist()
        case 'onboardUser': {
          const project = body.cloudaicompanionProject
          if (body.tierId === 'free-tier' && typeof project === 'string' && project !== '') {
            return reply(googleError(400, 'FAILED_PRECONDITION', 'Precondition Failed'))
          }
          return operation()
        }
        case 'generateContent':
          return generate(body, false, false, script)
        case 'streamGenerateContent':
          return generate(body, true, entry.query.get('alt') === 'sse', script)
        case 'countTokens': {
          const inner = body.request as { model?: unknown; contents?: unknown } | undefined
          if (typeof inner?.model !== 'string' || !inner.model.startsWith('models/') || !Array.isArray(inner.contents)) {
            return reply(googleError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.'))
          }
          if (!isKnownModel(inner.model.slice('models/'.length))) return reply(googleError(404, 'NOT_FOUND', 'Requested entity was not found.'))
          return json(200, { totalTokens: countWords(inner.contents) })
        }
        default:
          return reply(googleError(404, 'NOT_FOUND', `Method ${method} not found.`))
      }
    },
  })
}

/** `data: <envelope>` + blank line per event, nothing else; optionally held or cut. */
function sseResponse(events: unknown[], script: CodeAssistScript | undefined): Response {
  const encoder = new TextEncoder()
  let sent = 0
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (script && 'cutAfterEvents' in script && sent === script.cutAfterEvents) {
        await script.cutWhen
        // Erroring the body makes Bun drop the connection without the final chunk: a cut socket.
        controller.error()
        return
      }
      if (script && 'holdAfterFirst' in script && sent === 1) await script.holdAfterFirst
      const event = events[sent++]
      if (event === undefined) controller.close()
      else controller.enqueue(encoder.encode(`data: ${JSON.stringify(event)}\n\n`))
    },
  })
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } })
}

function reply(fake: FakeReply): Response {
  return new Response(fake.body, { status: fake.status, headers: { 'content-type': 'application/json; charset=UTF-8', ...fake.headers } })
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=UTF-8' } })
}
