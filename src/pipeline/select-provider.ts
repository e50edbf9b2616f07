// Provider selection, highest first: URL path segment > `model-provider` header >
// CLI/config default (already merged into runtime.defaultProvider).
import { GatewayError } from '../errors/gateway-error.ts'
import { isProviderId, PROVIDER_IDS, type ProviderId } from '../providers/types.ts'
import { headerText, quoteInput } from '../errors/echo.ts'

export function selectProvider(pathProvider: string | undefined, headers: Headers, defaultProvider: ProviderId): ProviderId {
  if (pathProvider !== undefined) return pathProvider as ProviderId
  const raw = headers.get('model-provider')?.trim()
  if (raw) {
    const header = raw.toLowerCase()
    if (!isProviderId(header)) {
      throw new GatewayError(
        400,
        'invalid_request',
        `unknown provider ${quoteInput(headerText(raw))} in model-provider header; valid: ${PROVIDER_IDS.join(', ')}`,
        {
          scope: 'request',
        },
      )
    }
    return header
  }
  return defaultProvider
}
