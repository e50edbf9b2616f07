// FALLBACK_CHAIN: provider → the providers (or provider + model) that answer, in order,
// when it has no member left to try. One level: a fallback's own chain is not followed,
// which keeps the number of attempts, and so the total time, bounded.
import type { AppConfig } from '../config/schema.ts'
import type { ProviderId } from '../providers/types.ts'
import { type Target, toTarget } from './model-routes.ts'

export type FallbackChain = Partial<Record<ProviderId, readonly Target[]>>

export function compileFallbackChain(chain: AppConfig['FALLBACK_CHAIN']): FallbackChain {
  const compiled: FallbackChain = {}
  for (const [provider, steps] of Object.entries(chain ?? {})) compiled[provider as ProviderId] = steps.map(toTarget)
  return compiled
}

/**
 * The targets of a request in the order they are tried: the selected provider with its
 * model, then its chain (a step without a model keeps the request's); a step naming a
 * provider and model already in the list is skipped.
 */
export function targetsOf(chain: FallbackChain, first: Required<Target>): Required<Target>[] {
  const targets = [first]
  for (const step of chain[first.provider] ?? []) {
    const target = { provider: step.provider, model: step.model ?? first.model }
    if (!targets.some((seen) => seen.provider === target.provider && seen.model === target.model)) targets.push(target)
  }
  return targets
}
