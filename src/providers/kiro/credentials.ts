// The Kiro token (docs/protocols.md#kiro-credentials): from KIRO_OAUTH_CREDS_BASE64 when set, else from the
// file KIRO_OAUTH_CREDS_FILE_PATH. Only that one file is read — never every JSON file of
// its folder, which would let any stray file override the token. The one exception is the
// AWS SSO client registration an IdC token points at by `clientIdHash`
// (`<folder>/<clientIdHash>.json`), from which only clientId/clientSecret are taken.
import { CREDENTIAL_FILE_MAX_BYTES, FileReadError, readBoundedText } from '../../fs/read-bounded.ts'
import { expandHome } from '../../fs/expand-home.ts'
import { dirname, join } from 'node:path'
import type { MemberConfig } from '../../config/schema.ts'
import { type GatewayError, unavailable } from '../../errors/gateway-error.ts'
import { parseExpiresAt } from './expires-at.ts'
import { isRecord } from '../../json/read.ts'

/** `social`: Google/GitHub login refreshed by Kiro's auth service; `idc`: Builder ID / Identity Center, refreshed by AWS SSO-OIDC. */
export type KiroAuthMethod = 'social' | 'idc'

export interface KiroCredentials {
  /** Empty when the file holds only a refresh token (the first use refreshes). */
  accessToken: string
  refreshToken?: string
  /** Epoch ms. */
  expiresAt?: number
  authMethod: KiroAuthMethod
  profileArn?: string
  region: string
  idcRegion: string
  clientId?: string
  clientSecret?: string
}

export type CredentialOrigin = { kind: 'file'; path: string } | { kind: 'base64' }

export interface LoadedCredentials {
  credentials: KiroCredentials
  origin: CredentialOrigin
}

const DEFAULT_REGION = 'us-east-1'
// Regions end up in host names, so anything but a plain region id is refused.
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+$/
const HASH_PATTERN = /^[A-Za-z0-9_-]{1,128}$/

/** Thrown while reading credentials; `message` is fit for notConfigured() and for clients. */
export class CredentialProblem extends Error {}

export function credentialOrigin(config: MemberConfig): CredentialOrigin {
  if (config.KIRO_OAUTH_CREDS_BASE64 !== undefined) return { kind: 'base64' }
  return { kind: 'file', path: expandHome(config.KIRO_OAUTH_CREDS_FILE_PATH) }
}

/** Where the credentials came from, for messages (never the secret itself). */
export function describeOrigin(origin: CredentialOrigin): string {
  return origin.kind === 'file' ? `file: ${origin.path}` : 'KIRO_OAUTH_CREDS_BASE64'
}

/** Reads and normalises the credentials; throws CredentialProblem with a message saying what to fix. */
export function readKiroCredentials(config: MemberConfig): LoadedCredentials {
  const origin = credentialOrigin(config)
  const raw = origin.kind === 'base64' ? decodeBase64Json(config.KIRO_OAUTH_CREDS_BASE64 ?? '') : readJsonFile(origin.path)
  const credentials = normaliseCredentials(raw, describeOrigin(origin))
  if (origin.kind === 'file' && credentials.authMethod === 'idc' && !(credentials.clientId && credentials.clientSecret)) {
    Object.assign(credentials, clientRegistration(origin.path, raw.clientIdHash))
  }
  return { credentials, origin }
}

/** Why these credentials cannot be used, or undefined when they can. */
export function kiroCredentialProblem(config: MemberConfig): string | undefined {
  try {
    readKiroCredentials(config)
    return undefined
  } catch (error) {
    if (error instanceof CredentialProblem) return error.message
    throw error
  }
}

/** The same problem as a GatewayError, for the request path (the member cannot serve; others may). */
export function credentialError(problem: CredentialProblem): GatewayError {
  return unavailable(problem.message)
}

function readJsonFile(path: string): Record<string, unknown> {
  let text: string
  try {
    text = readBoundedText(path, CREDENTIAL_FILE_MAX_BYTES)
  } catch (error) {
    const code = error instanceof FileReadError ? error.code : undefined
    const why = code === 'ENOENT' ? 'not found' : `unreadable (${error instanceof Error ? error.message : 'error'})`
    throw new CredentialProblem(
      `Kiro credentials file ${why}: ${path}. Log in with the Kiro IDE (it writes ~/.aws/sso/cache/kiro-auth-token.json), ` +
        'then point KIRO_OAUTH_CREDS_FILE_PATH at that file or put its base64 in KIRO_OAUTH_CREDS_BASE64.',
    )
  }
  return parseObject(text, `Kiro credentials file ${path}`)
}

function decodeBase64Json(value: string): Record<string, unknown> {
  const text = Buffer.from(value.trim(), 'base64').toString('utf8')
  return parseObject(text, 'KIRO_OAUTH_CREDS_BASE64')
}

function parseObject(text: string, label: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    // The parser's message quotes the text around the error, which holds tokens: never pass it on.
    throw new CredentialProblem(`${label} is not valid JSON; log in again with the Kiro IDE to rewrite it.`)
  }
  if (!isRecord(parsed)) throw new CredentialProblem(`${label} must hold a JSON object with accessToken/refreshToken.`)
  return parsed
}

function normaliseCredentials(raw: Record<string, unknown>, source: string): KiroCredentials {
  const text = (key: string) => {
    const value = raw[key]
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
  }
  const accessToken = text('accessToken') ?? ''
  const refreshToken = text('refreshToken')
  if (!accessToken && !refreshToken)
    throw new CredentialProblem(`Kiro credentials (${source}) have neither accessToken nor refreshToken; log in again with the Kiro IDE.`)
  const clientId = text('clientId')
  const clientSecret = text('clientSecret')
  const method = text('authMethod')
  // Without authMethod, a client registration (or a pointer to one) means an IdC login.
  const authMethod: KiroAuthMethod =
    method !== undefined ? (method.toLowerCase() === 'social' ? 'social' : 'idc') : (clientId && clientSecret) || text('clientIdHash') ? 'idc' : 'social'
  const region = text('region') ?? DEFAULT_REGION
  const idcRegion = text('idcRegion') ?? region
  for (const [key, value] of [
    ['region', region],
    ['idcRegion', idcRegion],
  ] as const) {
    if (!REGION_PATTERN.test(value)) throw new CredentialProblem(`Kiro credentials (${source}) have an invalid ${key} "${value}" (expected e.g. us-east-1).`)
  }
  const expiresAtValue = raw.expiresAt
  const expiresAt = parseExpiresAt(expiresAtValue)
  if (expiresAtValue !== undefined && expiresAt === undefined) {
    throw new CredentialProblem(`Kiro credentials (${source}) have an unreadable expiresAt; expected an ISO-8601 time such as 2026-01-09T04:43:18.079Z.`)
  }
  return {
    accessToken,
    authMethod,
    region,
    idcRegion,
    ...(refreshToken === undefined ? {} : { refreshToken }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    ...optional('profileArn', text('profileArn')),
    ...optional('clientId', clientId),
    ...optional('clientSecret', clientSecret),
  }
}

/** clientId/clientSecret from the AWS SSO cache registration `<folder>/<clientIdHash>.json`, when present. */
function clientRegistration(tokenPath: string, hash: unknown): Partial<KiroCredentials> {
  if (typeof hash !== 'string' || !HASH_PATTERN.test(hash)) return {}
  let raw: unknown
  try {
    raw = JSON.parse(readBoundedText(join(dirname(tokenPath), `${hash}.json`), CREDENTIAL_FILE_MAX_BYTES))
  } catch {
    // No readable registration: the refresh then reports the missing client clearly.
    return {}
  }
  if (!isRecord(raw) || typeof raw.clientId !== 'string' || typeof raw.clientSecret !== 'string') return {}
  return { clientId: raw.clientId, clientSecret: raw.clientSecret }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string }
}
