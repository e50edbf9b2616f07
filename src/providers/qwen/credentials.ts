// Qwen Code's OAuth credential file: the normalised form Qwen Code writes (expiry_date) or
// a raw token response (expires_in, no expiry_date — its age is unknown, so it is refreshed).
import type { MemberConfig } from '../../config/schema.ts'
import { expandHome } from '../../fs/expand-home.ts'
import type { CredentialProblem, CredentialSource } from '../oauth/credential-file.ts'
import type { DecodeResult } from '../oauth/credential-store.ts'
import { credentialFileMessage, decodeTokenJson, type TokenJsonCredential } from '../oauth/token-json.ts'

export interface QwenCredential extends TokenJsonCredential {
  /** Host (or URL) of the chat endpoint this token is valid for. */
  resourceUrl?: string
}

export function qwenCredentialSource(config: MemberConfig): CredentialSource & { kind: 'file' } {
  return { kind: 'file', path: expandHome(config.QWEN_OAUTH_CREDS_FILE_PATH) }
}

export function decodeQwenCredential(raw: Record<string, unknown>): DecodeResult<QwenCredential> {
  const decoded = decodeTokenJson(raw)
  if (!('credential' in decoded)) return decoded
  const resourceUrl = typeof raw.resource_url === 'string' && raw.resource_url.trim() !== '' ? raw.resource_url.trim() : undefined
  return { credential: resourceUrl === undefined ? decoded.credential : { ...decoded.credential, resourceUrl } }
}

const LOGIN_HINT = 'log in with Qwen Code (run `qwen` and choose the Qwen OAuth login)'

export function qwenCredentialMessage(path: string, problem: CredentialProblem): string {
  return credentialFileMessage({ what: 'Qwen Code credentials', loginHint: LOGIN_HINT, keys: 'QWEN_OAUTH_CREDS_FILE_PATH' }, path, problem)
}
