// A fake Kiro on 127.0.0.1 (docs/protocols.md#fakes): social refresh (`/refreshToken`), OIDC
// refresh (`/token`) and `/generateAssistantResponse`, each optionally under a region
// path segment so `{{region}}` substitution is visible. It checks bearer tokens against its
// token authority, validates bodies strictly, answers with real event-stream frames
// (optionally written in random byte pieces or corrupted) or scripted HTTP failures, and
// journals every request.
import { seededRandom, splitBytes } from '../../helpers/chunks.ts'
import { defaultAnswer } from './answers.ts'
import { concatBytes } from './event-stream-encoder.ts'
import { TokenAuthority } from './token-authority.ts'
import { validateKiroBody } from './validate-request.ts'

export type StreamFault = 'prelude-crc' | 'message-crc' | 'truncate'

export type KiroScenario =
  | {
      kind: 'stream'
      frames: Uint8Array[]
      /** Write the bytes in random pieces (seeded) instead of one write per frame. */
      splitSeed?: number
      fault?: StreamFault
      /** Keep the connection open after the frames (a stall); only the client can end it. */
      holdOpen?: boolean
    }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body: string }

const awsError = (status: number, type: string, message: string, reason?: string, headers: Record<string, string> = {}): KiroScenario => ({
  kind: 'status',
  status,
  headers: { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.aws.codewhisperer/`, ...headers },
  body: JSON.stringify({ message, reason: reason ?? null }),
})

/** The HTTP failures Kiro is known to answer with (docs/protocols.md#kiro-errors). */
export const kiroFaults = {
  unauthorized: () => ({ kind: 'status', status: 401, body: JSON.stringify({ message: 'Bearer token has expired', reason: null }) }) satisfies KiroScenario,
  tokenInvalid403: () => awsError(403, 'AccessDeniedException', 'The bearer token included in the request is invalid.'),
  suspended403: () => awsError(403, 'AccessDeniedException', 'Your User ID temporarily is suspended.'),
  quota402: () => awsError(402, 'ServiceQuotaExceededException', 'You have reached the limit.', 'MONTHLY_REQUEST_COUNT'),
  throttled429: (retryAfterS?: number) =>
    awsError(
      429,
      'ThrottlingException',
      'Too many requests',
      'USER_REQUEST_RATE_EXCEEDED',
      retryAfterS === undefined ? {} : { 'retry-after': String(retryAfterS) },
    ),
  monthly429: () => awsError(429, 'ThrottlingException', 'Monthly limit reached', 'MONTHLY_REQUEST_COUNT'),
  internal500: () => awsError(500, 'InternalServerException', 'Encountered an unexpected error when processing the request, please try again.'),
}

export interface JournalEntry {
  method: string
  path: string
  /** The last path segment: refreshToken, token, generateAssistantResponse. */
  route: string
  /** The path segment before the route, where tests put `{{region}}`. */
  region?: string
  headers: Record<string, string>
  rawBody: string
  json?: unknown
  /** Why the body was rejected, when it was. */
  violation?: string
  at: number
}

export interface FakeKiroOptions {
  now?: () => number
  /** Lifetime of issued access tokens, seconds. */
  expiresIn?: number
  rotateRefreshTokens?: boolean
  /** Reject social-login calls without profileArn (default true). */
  requireProfileArnForSocial?: boolean
  /** Bodies above this size get Kiro's "Input is too long." 400. */
  maxBodyBytes?: number
  /** Answer an expired token with 403 AccessDeniedException instead of 401. */
  expiredTokenAs403?: boolean
}

export interface FakeKiro {
  origin: string
  /** KIRO_BASE_URL / KIRO_REFRESH_URL / KIRO_REFRESH_IDC_URL values pointing here, with `{{region}}`. */
  urls: { api: string; social: string; idc: string }
  tokens: TokenAuthority
  journal: JournalEntry[]
  profileArn: string
  /** Queues the next answers of generateAssistantResponse (default: text derived from the request). */
  enqueue(...scenarios: KiroScenario[]): void
  stop(): void
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

export function startFakeKiro(options: FakeKiroOptions = {}): FakeKiro {
  const now = options.now ?? Date.now
  const tokens = new TokenAuthority(now, options.expiresIn ?? 3600, options.rotateRefreshTokens ?? false)
  const journal: JournalEntry[] = []
  const queue: KiroScenario[] = []
  const profileArn = 'arn:aws:codewhisperer:us-east-1:111122223333:profile/FAKEPROFILE'

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const url = new URL(request.url)
      const segments = url.pathname.split('/').filter((segment) => segment !== '')
      const route = segments.at(-1) ?? ''
      const rawBody = await request.text()
      const entry: JournalEntry = { method: request.method, path: url.pathname, route, headers: Object.fromEntries(request.headers), rawBody, at: now() }
      const region = segments.at(-2)
      if (region !== undefined) entry.region = region
      try {
        entry.json = JSON.parse(rawBody)
      } catch {
        // Not JSON: the handlers below reject it.
      }
      journal.push(entry)
      if (request.method !== 'POST') return json(405, { message: 'Method not allowed' })
      if (route === 'refreshToken') return socialRefresh(entry.json)
      if (route === 'token') return oidcRefresh(entry.json)
      if (route === 'generateAssistantResponse') return generate(request, entry)
      return json(404, { message: 'Not found' })
    },
  })

  function socialRefresh(body: unknown): Response {
    const refreshToken = (body as { refreshToken?: unknown } | undefined)?.refreshToken
    if (typeof refreshToken !== 'string') return json(400, { message: 'Invalid request: refreshToken is required' })
    const outcome = tokens.refreshSocial(refreshToken)
    if (!outcome.ok) return json(401, { message: 'Invalid refresh token provided' })
    return json(200, { accessToken: outcome.accessToken, refreshToken: outcome.refreshToken, profileArn, expiresIn: outcome.expiresIn })
  }

  function oidcRefresh(body: unknown): Response {
    const { clientId, clientSecret, grantType, refreshToken } = (body ?? {}) as Record<string, unknown>
    if (grantType !== 'refresh_token' || typeof clientId !== 'string' || typeof clientSecret !== 'string' || typeof refreshToken !== 'string') {
      return json(400, { error: 'invalid_request', error_description: 'Missing or invalid parameters' })
    }
    const outcome = tokens.refreshIdc(refreshToken, clientId, clientSecret)
    if (outcome.ok)
      return json(200, { accessToken: outcome.accessToken, refreshToken: outcome.refreshToken, expiresIn: outcome.expiresIn, tokenType: 'Bearer' })
    if (outcome.reason === 'wrong_client') return json(401, { error: 'invalid_client', error_description: 'Client authentication failed' })
    return json(400, { error: 'invalid_grant', error_description: 'Invalid refresh token provided' })
  }

  function generate(request: Request, entry: JournalEntry): Response {
    const bearer = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? ''
    const check = tokens.check(bearer)
    if (!check.ok) {
      if (options.expiredTokenAs403) return scenarioResponse(kiroFaults.tokenInvalid403())
      return json(401, { message: 'The bearer token included in the request is expired.', reason: null })
    }
    if (entry.rawBody.length > (options.maxBodyBytes ?? 1_000_000)) {
      return scenarioResponse(awsError(400, 'ValidationException', 'Input is too long.', 'CONTENT_LENGTH_EXCEEDS_THRESHOLD'))
    }
    const requireProfileArn = check.kind === 'social' && (options.requireProfileArnForSocial ?? true)
    const violation =
      entry.json === undefined ? { reason: 'REQUEST_BODY_INVALID', detail: 'body is not JSON' } : validateKiroBody(entry.json, { requireProfileArn })
    if (violation) {
      entry.violation = violation.detail
      if (violation.reason === 'INVALID_MODEL_ID')
        return scenarioResponse(awsError(400, 'ValidationException', 'Invalid model. Please select a different model to continue.', 'INVALID_MODEL_ID'))
      return scenarioResponse(awsError(400, 'ValidationException', 'Improperly formed request.'))
    }
    return scenarioResponse(queue.shift() ?? { kind: 'stream', frames: defaultAnswer(entry.json as Record<string, unknown>) })
  }

  return {
    origin: `http://127.0.0.1:${server.port}`,
    urls: {
      api: `http://127.0.0.1:${server.port}/{{region}}/generateAssistantResponse`,
      social: `http://127.0.0.1:${server.port}/{{region}}/refreshToken`,
      idc: `http://127.0.0.1:${server.port}/{{region}}/token`,
    },
    tokens,
    journal,
    profileArn,
    enqueue: (...scenarios) => queue.push(...scenarios),
    stop: () => void server.stop(true),
  }
}

function scenarioResponse(scenario: KiroScenario): Response {
  if (scenario.kind === 'status') {
    return new Response(scenario.body, { status: scenario.status, headers: { 'content-type': 'application/json', ...scenario.headers } })
  }
  const frames = applyFault(scenario.frames, scenario.fault)
  // Without a seed each frame is one write; with one, writes are cut at random byte offsets.
  const pieces = scenario.splitSeed === undefined ? frames : splitBytes(concatBytes(frames), seededRandom(scenario.splitSeed), 9)
  let next = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[next++]
      if (piece !== undefined) controller.enqueue(piece)
      else if (scenario.holdOpen) return new Promise<void>(() => {})
      else controller.close()
    },
  })
  return new Response(body, {
    status: 200,
    headers: { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-codewhisperer-conversation-id': crypto.randomUUID() },
  })
}

/** Corrupts the last frame: a flipped prelude CRC, a flipped message CRC, or half of it cut off. */
function applyFault(frames: Uint8Array[], fault: StreamFault | undefined): Uint8Array[] {
  const last = frames.at(-1)
  if (fault === undefined || last === undefined) return frames
  const damaged = last.slice()
  if (fault === 'prelude-crc') damaged[8] = (damaged[8] ?? 0) ^ 0xff
  if (fault === 'message-crc') damaged[damaged.length - 1] = (damaged[damaged.length - 1] ?? 0) ^ 0xff
  return [...frames.slice(0, -1), fault === 'truncate' ? damaged.subarray(0, Math.floor(damaged.length / 2)) : damaged]
}
