// The OAuth token JSON that the Gemini CLI and Qwen Code write (access_token,
// refresh_token, expiry_date in ms), and what to tell the user when it cannot be used.
import type { CredentialProblem } from './credential-file.ts'
import type { DecodeResult, StoredCredential } from './credential-store.ts'

export interface TokenJsonCredential extends StoredCredential {
  refreshToken: string
}

/** A token without a known expiry counts as expired, so it is refreshed before use. */
export function decodeTokenJson(raw: Record<string, unknown>): DecodeResult<TokenJsonCredential> {
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

export interface CredentialFileLabels {
  /** e.g. "Gemini CLI credentials" */
  what: string
  /** How to create the file, e.g. "log in with the Gemini CLI (…)". */
  loginHint: string
  /** The config keys that point elsewhere. */
  keys: string
}

export function credentialFileMessage(labels: CredentialFileLabels, path: string, problem: CredentialProblem): string {
  const { what, loginHint, keys } = labels
  switch (problem.kind) {
    case 'missing':
      return `${what} not found at ${path}: ${loginHint}, which writes this file, or set ${keys}`
    case 'unreadable':
      return `${what} at ${path} cannot be read (${problem.detail}); check the file's permissions`
    case 'corrupt':
      return `${what} at ${path} are corrupt (${problem.detail}); ${loginHint} again to rewrite the file`
    case 'invalid':
      return `${what} at ${path} cannot be used: ${problem.detail}; ${loginHint} again`
  }
}
