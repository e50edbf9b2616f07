// Request headers of generateAssistantResponse as the Kiro IDE sends them (docs/protocols.md#kiro-request-headers).
// The IDE version is pinned: newer version strings were reported to break IdC logins.
import { release } from 'node:os'

const KIRO_IDE_VERSION = '0.11.63'
const SDK_VERSION = '1.0.34'

/**
 * The IDE's machine id: SHA-256 hex of the first known of profileArn, clientId or a fixed
 * text, so one login always presents the same id.
 */
export function machineId(identity: { profileArn?: string; clientId?: string }): string {
  const seed = identity.profileArn || identity.clientId || 'KIRO_DEFAULT_MACHINE'
  return new Bun.CryptoHasher('sha256').update(seed).digest('hex')
}

export function kiroHeaders(accessToken: string, machine: string, invocationId: string): Record<string, string> {
  const ide = `KiroIDE-${KIRO_IDE_VERSION}-${machine}`
  return {
    authorization: `Bearer ${accessToken}`,
    'content-type': 'application/json',
    // The IDE asks for JSON although the answer is an event stream.
    accept: 'application/json',
    'amz-sdk-invocation-id': invocationId,
    'amz-sdk-request': 'attempt=1; max=3',
    'x-amzn-codewhisperer-optout': 'true',
    'x-amzn-kiro-agent-mode': 'vibe',
    'x-amz-user-agent': `aws-sdk-js/${SDK_VERSION} ${ide}`,
    'user-agent': `aws-sdk-js/${SDK_VERSION} ua/2.1 os/${process.platform}#${release()} lang/js md/nodejs#${process.versions.node} api/codewhispererstreaming#${SDK_VERSION} m/E ${ide}`,
  }
}
