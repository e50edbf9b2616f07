// MODEL_ROUTES compiled once at startup: exact names and `*` globs, in the config's key
// order, each leading to a provider or to an alias (provider + the model it receives).
import type { AppConfig } from '../config/schema.ts'
import type { ProviderId } from '../providers/types.ts'

/** Where a request goes: a provider, and the model it receives (undefined: the client's own). */
export interface Target {
  provider: ProviderId
  model?: string
}

export type TargetSpec = ProviderId | { provider: ProviderId; model: string }

export interface ModelRoute {
  /** The config key: an exact model name or a glob. */
  pattern: string
  target: Target
  matches(model: string): boolean
}

export function toTarget(spec: TargetSpec): Target {
  return typeof spec === 'string' ? { provider: spec } : { provider: spec.provider, model: spec.model }
}

export function compileModelRoutes(routes: AppConfig['MODEL_ROUTES']): ModelRoute[] {
  return Object.entries(routes ?? {}).map(([pattern, spec]) => ({ pattern, target: toTarget(spec), matches: matcher(pattern) }))
}

/** The first route matching `model`, in config order. */
export function findRoute(routes: readonly ModelRoute[], model: string): ModelRoute | undefined {
  for (const route of routes) if (route.matches(model)) return route
  return undefined
}

/** Whether the key is a glob (`*` matches any run of characters, `/` included). */
export const isGlob = (pattern: string) => pattern.includes('*')

function matcher(pattern: string): (model: string) => boolean {
  if (!isGlob(pattern)) return (model) => model === pattern
  const parts = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
  const regex = new RegExp(`^${parts.join('.*')}$`, 's')
  return (model) => regex.test(model)
}
