// The reply of a provider whose upstream answers in a client dialect over HTTP: the
// response, and its body under the member's idle limit.
import type { MemberConfig } from '../config/schema.ts'
import type { Dialect } from '../dialects/types.ts'
import { watchBody } from '../upstream/body.ts'
import type { ProviderDeps, UpstreamReply } from './types.ts'

export function httpReply(dialect: Dialect, response: Response, config: MemberConfig, deps: ProviderDeps, signal: AbortSignal): UpstreamReply {
  return {
    kind: 'http',
    dialect,
    response,
    body: watchBody(response, { idleMs: config.STREAM_IDLE_TIMEOUT_MS, maxBytes: config.MAX_RESPONSE_BODY_BYTES, now: deps.now, signal }),
  }
}
