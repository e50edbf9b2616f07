import { describe, expect, test } from 'bun:test'
import type { AppConfig } from '../../src/config/schema.ts'
import { proxyFor, withProxy } from '../../src/upstream/proxy.ts'

const PROXY = 'http://u:p@127.0.0.1:3128'
const config = (extra: Partial<AppConfig> = {}) => ({ PROXY_URL: PROXY, ...extra }) as AppConfig

describe('which proxy a member uses', () => {
  test('PROXY_URL applies to every upstream provider by default, never to local-echo', () => {
    expect(proxyFor('gemini-cli-oauth', {}, config())).toBe(PROXY)
    expect(proxyFor('openai-custom', {}, config())).toBe(PROXY)
    expect(proxyFor('local-echo', {}, config())).toBeUndefined()
  })

  test('PROXY_PROVIDERS narrows it; the others keep Bun’s default (HTTP(S)_PROXY honoured)', () => {
    const narrowed = config({ PROXY_PROVIDERS: ['claude-kiro-oauth'] })
    expect(proxyFor('claude-kiro-oauth', {}, narrowed)).toBe(PROXY)
    expect(proxyFor('openai-custom', {}, narrowed)).toBeUndefined()
  })

  test('a member’s own PROXY_URL wins; "" forces a direct connection', () => {
    expect(proxyFor('openai-custom', { PROXY_URL: 'http://other:8080' }, config({ PROXY_PROVIDERS: ['claude-kiro-oauth'] }))).toBe('http://other:8080')
    expect(proxyFor('openai-custom', { PROXY_URL: '' }, config())).toBe(false)
    expect(proxyFor('openai-custom', {}, {} as AppConfig)).toBeUndefined()
  })

  test('withProxy sets the option on every call and keeps the caller’s init', async () => {
    const seen: unknown[] = []
    const base = (async (_input: unknown, init?: RequestInit) => {
      seen.push(init)
      return new Response('ok')
    }) as unknown as typeof fetch
    await withProxy(base, PROXY)('http://x.test/', { method: 'POST' })
    await withProxy(base, false)('http://x.test/')
    expect(seen).toEqual([{ method: 'POST', proxy: PROXY }, { proxy: false }])
    expect(withProxy(base, undefined)).toBe(base)
  })
})
