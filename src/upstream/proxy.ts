// The outbound proxy of a pool member: its own PROXY_URL when it sets one ("" = direct),
// else the top-level PROXY_URL for the providers in PROXY_PROVIDERS (all upstream providers
// by default). Every request of the member's client goes through the fetch built here:
// chat, model lists, health probes, token refreshes and Gemini project discovery alike.
import type { AppConfig } from '../config/schema.ts'
import type { ProviderId } from '../providers/types.ts'

/** A proxy URL, `false` for a forced direct connection, or undefined for Bun's default (it honours HTTP(S)_PROXY). */
export type ProxyChoice = string | false | undefined

export function proxyFor(provider: ProviderId, memberKeys: Partial<AppConfig>, config: AppConfig): ProxyChoice {
  if (memberKeys.PROXY_URL !== undefined) return memberKeys.PROXY_URL === '' ? false : memberKeys.PROXY_URL
  if (!config.PROXY_URL || provider === 'local-echo') return undefined
  return config.PROXY_PROVIDERS === undefined || config.PROXY_PROVIDERS.includes(provider) ? config.PROXY_URL : undefined
}

/** `fetch` with the proxy set on every call (Bun's `proxy` option: absolute-form for http://, CONNECT for https:// targets). */
export function withProxy(base: typeof fetch, proxy: ProxyChoice): typeof fetch {
  if (proxy === undefined) return base
  const proxied = (input: string | URL | Request, init?: RequestInit) => base(input, { ...init, proxy })
  return Object.assign(proxied, { preconnect: base.preconnect }) as typeof fetch
}
