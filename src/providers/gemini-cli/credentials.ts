// The Gemini CLI's OAuth credential (google-auth-library's token JSON): where it comes
// from, what makes it usable, and what to tell the user when it is not.
import type { MemberConfig } from '../../config/schema.ts'
import { expandHome } from '../../fs/expand-home.ts'
import type { CredentialProblem, CredentialSource } from '../oauth/credential-file.ts'
import type { DecodeResult, StoredCredential } from '../oauth/credential-store.ts'

export interface GeminiCredential extends StoredCredential {
  refreshToken: string
}

/** GEMINI_OAUTH_CREDS_BASE64 wins over the file, as in the original. */
export function geminiCredentialSource(config: MemberConfig): CredentialSource {
  const inline = config.GEMINI_OAUTH_CREDS_BASE64
  if (inline !== undefined) {
    return { kind: 'inline', name: 'GEMINI_OAUTH_CREDS_BASE64', text: Buffer.from(inline, 'base64').toString('utf8') }
  }
  return { kind: 'file', path: expandHome(config.GEMINI_OAUTH_CREDS_FILE_PATH) }
}

export function decodeGeminiCredential(raw: Record<string, unknown>): DecodeResult<GeminiCredential> {
  const refreshToken = raw.refresh_token
  if (typeof refreshToken !== 'string' || refreshToken === '') {
    return { problem: { kind: 'invalid', detail: 'it has no refresh_token' } }
  }
  const accessToken = typeof raw.access_token === 'string' ? raw.access_token : ''
  const expiry = raw.expiry_date
  const expiresAt = typeof expiry === 'number' && Number.isFinite(expiry) && accessToken !== '' ? expiry : undefined
  return {
    credential: {
      raw,
      refreshToken,
      token: expiresAt === undefined ? { accessToken } : { accessToken, expiresAt },
      secrets: [accessToken, refreshToken],
    },
  }
}

/** Where the credential is, for messages: the file path or the config key. */
export function describeGeminiSource(source: CredentialSource): string {
  return source.kind === 'file' ? `file: ${source.path}` : `from ${source.name}`
}

const LOGIN_HINT = 'log in with the Gemini CLI (run `gemini` and choose "Login with Google")'

export function geminiCredentialMessage(source: CredentialSource, problem: CredentialProblem): string {
  if (source.kind === 'inline') {
    return problem.kind === 'invalid'
      ? `${source.name} holds Gemini CLI credentials without a refresh token; ${LOGIN_HINT} and encode the new oauth_creds.json`
      : `${source.name} is not the base64 of a Gemini CLI oauth_creds.json (${problem.detail})`
  }
  const path = source.path
  switch (problem.kind) {
    case 'missing':
      return `Gemini CLI credentials not found at ${path}: ${LOGIN_HINT}, which writes this file, or set GEMINI_OAUTH_CREDS_FILE_PATH / GEMINI_OAUTH_CREDS_BASE64`
    case 'unreadable':
      return `Gemini CLI credentials at ${path} cannot be read (${problem.detail}); check the file's permissions`
    case 'corrupt':
      return `Gemini CLI credentials at ${path} are corrupt (${problem.detail}); ${LOGIN_HINT} again to rewrite the file`
    case 'invalid':
      return `Gemini CLI credentials at ${path} cannot be used: ${problem.detail}; ${LOGIN_HINT} again`
  }
}
