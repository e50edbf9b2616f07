// Qwen Code's OAuth credential file: the normalised form Qwen Code writes (expiry_date) or
// a raw token response (expires_in, no expiry_date — its age is unknown, so it is refreshed).
import type { MemberConfig } from '../../config/schema.ts'
import { expandHome } from '../../fs/expand-home.ts'
import type { CredentialProblem, CredentialSource } from '../oauth/credential-file.ts'
import type { DecodeResult, StoredCredential } from '../oauth/credential-store.ts'

export interface QwenCredential extends StoredCredential {
  refreshToken: string
  /** Host (or URL) of the chat endpoint this token is valid for. */
  resourceUrl?: string
}

export function qwenCredentialSource(config: MemberConfig): CredentialSource & { kind: 'file' } {
  return { kind: 'file', path: expandHome(config.QWEN_OAUTH_CREDS_FILE_PATH) }
}

export function decodeQwenCredential(raw: Record<string, unknown>): DecodeResult<QwenCredential> {
  const refreshToken = raw.refresh_token
  if (typeof refreshToken !== 'string' || refreshToken === '') {
    return { problem: { kind: 'invalid', detail: 'it has no refresh_token' } }
  }
  const accessToken = typeof raw.access_token === 'string' ? raw.access_token : ''
  const expiry = raw.expiry_date
  const expiresAt = typeof expiry === 'number' && Number.isFinite(expiry) && accessToken !== '' ? expiry : undefined
  const resourceUrl = typeof raw.resource_url === 'string' && raw.resource_url.trim() !== '' ? raw.resource_url.trim() : undefined
  return {
    credential: {
      raw,
      refreshToken,
      token: expiresAt === undefined ? { accessToken } : { accessToken, expiresAt },
      secrets: [accessToken, refreshToken],
      ...(resourceUrl === undefined ? {} : { resourceUrl }),
    },
  }
}

const LOGIN_HINT = 'log in with Qwen Code (run `qwen` and choose the Qwen OAuth login)'

export function qwenCredentialMessage(path: string, problem: CredentialProblem): string {
  switch (problem.kind) {
    case 'missing':
      return `Qwen Code credentials not found at ${path}: ${LOGIN_HINT}, which writes this file, or set QWEN_OAUTH_CREDS_FILE_PATH`
    case 'unreadable':
      return `Qwen Code credentials at ${path} cannot be read (${problem.detail}); check the file's permissions`
    case 'corrupt':
      return `Qwen Code credentials at ${path} are corrupt (${problem.detail}); ${LOGIN_HINT} again to rewrite the file`
    case 'invalid':
      return `Qwen Code credentials at ${path} cannot be used: ${problem.detail}; ${LOGIN_HINT} again`
  }
}
