// The last step before an error reaches a client: upstream messages can quote anything
// (OpenAI's 401 names the key it got), so every configured secret is masked and server
// file paths are cut to their file name. Logs keep the paths.
import { GatewayError } from './gateway-error.ts'

export function errorForClient(error: GatewayError, forClient: (text: string) => string): GatewayError {
  const message = forClient(error.message)
  if (message === error.message) return error
  return new GatewayError(error.status, error.kind, message, {
    scope: error.scope,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.upstreamStatus === undefined ? {} : { upstreamStatus: error.upstreamStatus }),
  })
}
