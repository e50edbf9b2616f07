// The Gemini CLI's OAuth credential (google-auth-library's token JSON): where it comes
// from, what makes it usable, and what to tell the user when it is not.
import type { MemberConfig } from '../../config/schema.ts'
import { expandHome } from '../../fs/expand-home.ts'
import type { CredentialProblem, CredentialSource } from '../oauth/credential-file.ts'
import { credentialFileMessage, decodeTokenJson, type TokenJsonCredential } from '../oauth/token-json.ts'

export type GeminiCredential = TokenJsonCredential

/** GEMINI_OAUTH_CREDS_BASE64 wins over the file, as in the original. */
export function geminiCredentialSource(config: MemberConfig): CredentialSource {
  const inline = config.GEMINI_OAUTH_CREDS_BASE64
  if (inline !== undefined) {
    return { kind: 'inline', name: 'GEMINI_OAUTH_CREDS_BASE64', text: Buffer.from(inline, 'base64').toString('utf8') }
  }
  return { kind: 'file', path: expandHome(config.GEMINI_OAUTH_CREDS_FILE_PATH) }
}

export const decodeGeminiCredential = decodeTokenJson

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
  return credentialFileMessage(
    { what: 'Gemini CLI credentials', loginHint: LOGIN_HINT, keys: 'GEMINI_OAUTH_CREDS_FILE_PATH / GEMINI_OAUTH_CREDS_BASE64' },
    source.path,
    problem,
  )
}
