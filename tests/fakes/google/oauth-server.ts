// Fake oauth2.googleapis.com/token: the refresh-token grant of the Gemini CLI's OAuth client.
import type { FakeReply } from './errors.ts'
import { recordRequest, type JournalEntry } from './journal.ts'
import type { TokenAuthority } from '../shared/token-authority.ts'

// The Gemini CLI's public installed-app client, as the real endpoint would expect it.
const CLIENT_ID = '681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com'
const CLIENT_SECRET = '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'

export interface GoogleOAuthFakeOptions {
  authority: TokenAuthority
  journal: JournalEntry[]
  /** Scripted replies, used before the normal behaviour (one per refresh call). */
  script: FakeReply[]
  /** expires_in of issued access tokens, seconds. */
  expiresIn: () => number
}

export function startGoogleOAuthFake(options: GoogleOAuthFakeOptions) {
  return Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const entry = await recordRequest('google-oauth', request)
      options.journal.push(entry)
      if (request.method !== 'POST' || entry.path !== '/token') return json(404, { error: 'not_found' })
      const form = entry.form ?? new URLSearchParams()
      if (form.get('grant_type') !== 'refresh_token') return json(400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type.' })
      options.authority.refreshCalls++
      const scripted = options.script.shift()
      if (scripted) return new Response(scripted.body, { status: scripted.status, headers: { 'content-type': 'application/json', ...scripted.headers } })
      if (form.get('client_id') !== CLIENT_ID || form.get('client_secret') !== CLIENT_SECRET) {
        return json(401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' })
      }
      const refreshToken = form.get('refresh_token') ?? ''
      if (options.authority.refreshTokenState(refreshToken) !== 'live') {
        return json(400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' })
      }
      return json(200, {
        access_token: options.authority.issueAccessToken(),
        expires_in: options.expiresIn(),
        scope: 'https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.email openid',
        token_type: 'Bearer',
      })
    },
  })
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } })
}
