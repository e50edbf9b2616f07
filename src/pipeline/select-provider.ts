// Provider selection, highest first: URL path segment > `model-provider` header >
// CLI/config default (already merged into runtime.defaultProvider).
import { GatewayError } from '../errors/gateway-error.ts'
import { isProviderId, PROVIDER_IDS, type ProviderId } from '../providers/types.ts'

export function selectProvider(pathProvider: string | undefined, headers: Headers, defaultProvider: ProviderId): ProviderId {
  if (pathProvider !== undefined) return pathProvider as ProviderId
  const header = headers.get('model-provider')?.trim().toLowerCase()
  if (header) {
    if (!isProviderId(header)) {
      throw new GatewayError(400, 'invalid_request', `unknown provider ${JSON.stringify(header)} in model-provider header; valid: ${PROVIDER_IDS.join(', ')}`, {
        scope: 'request',
      })
    }
    return header
  }
  return defaultProvider
}
