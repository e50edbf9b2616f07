// Provider selection, highest first: URL path segment > `model-provider` header > model
// prefix (`<provider-id>/<model>`) > MODEL_ROUTES > CLI/config default.
import { headerText, quoteInput } from '../errors/echo.ts'
import { badRequest } from '../errors/gateway-error.ts'
import { isProviderId, PROVIDER_IDS, type ProviderId } from '../providers/types.ts'
import { findRoute, type ModelRoute } from './model-routes.ts'

export interface Selection {
  provider: ProviderId
  /** The model the provider receives: the client's, without a provider prefix, or an alias's. */
  model: string
  /** Chosen by the path or the header: model lists stay that provider's own. */
  explicit: boolean
}

export interface SelectionRules {
  routes: readonly ModelRoute[]
  defaultProvider: ProviderId
}

/** `claude-kiro-oauth/claude-sonnet-4-5` → provider and bare model; any other `/` is part of a plain model id. */
export function splitModelPrefix(model: string): { provider: ProviderId; model: string } | undefined {
  const slash = model.indexOf('/')
  if (slash <= 0) return undefined
  const prefix = model.slice(0, slash)
  return isProviderId(prefix) && slash < model.length - 1 ? { provider: prefix, model: model.slice(slash + 1) } : undefined
}

export function selectProvider(rules: SelectionRules, pathProvider: string | undefined, headers: Headers, model = ''): Selection {
  const explicit = pathProvider ?? headerProvider(headers)
  if (explicit !== undefined) return { provider: explicit as ProviderId, model: explicitModel(rules, explicit as ProviderId, model), explicit: true }
  const prefixed = splitModelPrefix(model)
  if (prefixed) return { ...prefixed, explicit: false }
  const route = findRoute(rules.routes, model)
  if (route) return { provider: route.target.provider, model: route.target.model ?? model, explicit: false }
  return { provider: rules.defaultProvider, model, explicit: false }
}

/**
 * With the provider already chosen, a prefix naming that same provider is dropped, and an
 * alias leading to it still renames the model; anything else reaches it unchanged.
 */
function explicitModel(rules: SelectionRules, provider: ProviderId, model: string): string {
  const prefixed = splitModelPrefix(model)
  if (prefixed) return prefixed.provider === provider ? prefixed.model : model
  const route = findRoute(rules.routes, model)
  return route?.target.provider === provider && route.target.model !== undefined ? route.target.model : model
}

function headerProvider(headers: Headers): ProviderId | undefined {
  const raw = headers.get('model-provider')?.trim()
  if (!raw) return undefined
  const header = raw.toLowerCase()
  if (isProviderId(header)) return header
  throw badRequest(`unknown provider ${quoteInput(headerText(raw))} in model-provider header; valid: ${PROVIDER_IDS.join(', ')}`)
}
