// The two Qwen origins the openai-qwen-oauth provider talks to: the OAuth server
// (refresh grant; its answers point resource_url at the chat fake) and the
// OpenAI-compatible chat endpoint, which only accepts live tokens.
import { recordRequest, type JournalEntry } from './journal.ts'
import { completion, completionChunks, invalidToken, modelNotFound, type FakeReply } from './replies.ts'
import { TokenAuthority } from '../shared/token-authority.ts'

// Qwen Code's public client id, as the real server expects it.
const CLIENT_ID = 'f0304373b74a44d2b584a3fb70ca9e56'
const KNOWN_MODELS = new Set(['coder-model', 'vision-model', 'qwen3-coder-plus', 'qwen3-coder-flash'])

export interface QwenFakeOptions {
  /** Refresh answers carry a new refresh token (the old one is revoked). */
  rotateRefreshTokens?: boolean
  /** expires_in of refreshed tokens, seconds. */
  expiresIn?: number
}

export interface QwenFake {
  /** QWEN_OAUTH_BASE_URL */
  oauthUrl: string
  /** The chat origin, as refresh answers name it in resource_url. */
  chatOrigin: string
  authority: TokenAuthority
  journal: JournalEntry[]
  /** resource_url of refresh answers (default: the chat origin, with its http:// scheme). */
  resourceUrl: string
  /** Queues replies of the chat endpoint, used before the normal ones. */
  scriptChat(...replies: FakeReply[]): void
  /** Queues replies of the token endpoint. */
  scriptToken(...replies: FakeReply[]): void
  chatCalls(): JournalEntry[]
  stop(): void
}

export function startQwenFake(options: QwenFakeOptions = {}): QwenFake {
  const authority = new TokenAuthority()
  const journal: JournalEntry[] = []
  const chatScript: FakeReply[] = []
  const tokenScript: FakeReply[] = []
  let completions = 0

  const oauth = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const entry = await recordRequest('qwen-oauth', request)
      journal.push(entry)
      if (request.method !== 'POST' || entry.path !== '/api/v1/oauth2/token') return json(404, { error: 'not_found' })
      const form = entry.form ?? new URLSearchParams()
      if (form.get('grant_type') !== 'refresh_token')
        return json(400, { error: 'unsupported_grant_type', error_description: 'Only the refresh grant is faked.' })
      authority.refreshCalls++
      const scripted = tokenScript.shift()
      if (scripted) return reply(scripted)
      if (form.get('client_id') !== CLIENT_ID) return json(400, { error: 'invalid_client', error_description: 'Unknown client.' })
      const refreshToken = form.get('refresh_token') ?? ''
      if (authority.refreshTokenState(refreshToken) !== 'live') {
        return json(400, { error: 'invalid_grant', error_description: 'The refresh token is invalid or expired.' })
      }
      let rotated: string | undefined
      if (options.rotateRefreshTokens) {
        authority.revoke(refreshToken)
        rotated = authority.issueRefreshToken()
      }
      return json(200, {
        access_token: authority.issueAccessToken(),
        token_type: 'Bearer',
        expires_in: options.expiresIn ?? 21_600,
        ...(rotated === undefined ? {} : { refresh_token: rotated }),
        resource_url: fake.resourceUrl,
      })
    },
  })

  const chat = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const entry = await recordRequest('qwen-chat', request)
      journal.push(entry)
      if (request.method !== 'POST' || entry.path !== '/v1/chat/completions')
        return json(404, { error: { message: 'Not found', type: 'invalid_request_error', code: null } })
      const bearer = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1]
      if (bearer === undefined || !authority.isLive(bearer)) return reply(invalidToken())
      const scripted = chatScript.shift()
      if (scripted) return reply(scripted)
      const body = (entry.json ?? {}) as Record<string, unknown>
      const model = typeof body.model === 'string' ? body.model : ''
      if (!KNOWN_MODELS.has(model)) return reply(modelNotFound(model))
      const id = `chatcmpl-fake-${++completions}`
      if (body.stream !== true) return json(200, completion(id, model, body))
      const frames = completionChunks(id, model, body).map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`)
      return new Response(`${frames.join('')}data: [DONE]\n\n`, { headers: { 'content-type': 'text/event-stream' } })
    },
  })

  const fake: QwenFake = {
    oauthUrl: `http://127.0.0.1:${oauth.port}`,
    chatOrigin: `http://127.0.0.1:${chat.port}`,
    authority,
    journal,
    resourceUrl: `http://127.0.0.1:${chat.port}`,
    scriptChat: (...replies) => void chatScript.push(...replies),
    scriptToken: (...replies) => void tokenScript.push(...replies),
    chatCalls: () => journal.filter((entry) => entry.origin === 'qwen-chat'),
    stop() {
      oauth.stop(true)
      chat.stop(true)
    },
  }
  return fake
}

function reply(fake: FakeReply): Response {
  return new Response(fake.body, { status: fake.status, headers: { 'content-type': 'application/json', ...fake.headers } })
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
}
