import { describe, expect, test } from 'bun:test'
import { compileModelRoutes, findRoute } from '../../src/routing/model-routes.ts'
import { selectProvider, splitModelPrefix } from '../../src/routing/select.ts'

const rules = {
  defaultProvider: 'local-echo' as const,
  routes: compileModelRoutes({
    fast: { provider: 'openai-custom', model: 'gpt-4o-mini' },
    'claude-*': 'claude-custom',
    'gemini-2.5-*': 'gemini-cli-oauth',
    '*-preview': { provider: 'claude-kiro-oauth', model: 'claude-sonnet-4-5' },
  }),
}
const headers = (provider?: string) => new Headers(provider === undefined ? {} : { 'model-provider': provider })

describe('selection precedence: path > header > model prefix > MODEL_ROUTES > default', () => {
  const rows: Array<[string, string | undefined, string | undefined, string, { provider: string; model: string; explicit: boolean }]> = [
    // name, path, header, model, expected
    ['default', undefined, undefined, 'gpt-4o', { provider: 'local-echo', model: 'gpt-4o', explicit: false }],
    ['exact route (alias)', undefined, undefined, 'fast', { provider: 'openai-custom', model: 'gpt-4o-mini', explicit: false }],
    ['glob route keeps the model', undefined, undefined, 'claude-3-7', { provider: 'claude-custom', model: 'claude-3-7', explicit: false }],
    ['first matching route wins', undefined, undefined, 'gemini-2.5-preview', { provider: 'gemini-cli-oauth', model: 'gemini-2.5-preview', explicit: false }],
    ['prefix beats routes', undefined, undefined, 'openai-qwen-oauth/claude-3', { provider: 'openai-qwen-oauth', model: 'claude-3', explicit: false }],
    [
      'prefix of an unknown id is a plain model',
      undefined,
      undefined,
      'meta-llama/Llama-3.3-70B',
      { provider: 'local-echo', model: 'meta-llama/Llama-3.3-70B', explicit: false },
    ],
    ['header beats prefix', undefined, 'claude-custom', 'openai-custom/gpt-4o', { provider: 'claude-custom', model: 'openai-custom/gpt-4o', explicit: true }],
    ['header beats routes', undefined, 'openai-custom', 'claude-3', { provider: 'openai-custom', model: 'claude-3', explicit: true }],
    ['path beats header', 'gemini-cli-oauth', 'claude-custom', 'x', { provider: 'gemini-cli-oauth', model: 'x', explicit: true }],
    [
      'a prefix naming the chosen provider is dropped',
      'openai-custom',
      undefined,
      'openai-custom/gpt-4o',
      { provider: 'openai-custom', model: 'gpt-4o', explicit: true },
    ],
    [
      'an alias leading to the chosen provider still renames',
      'openai-custom',
      undefined,
      'fast',
      { provider: 'openai-custom', model: 'gpt-4o-mini', explicit: true },
    ],
    ['an alias leading elsewhere does not', 'claude-custom', undefined, 'fast', { provider: 'claude-custom', model: 'fast', explicit: true }],
  ]
  for (const [name, path, header, model, expected] of rows) {
    test(name, () => {
      expect(selectProvider(rules, path, headers(header), model)).toEqual(expected as never)
    })
  }

  test('an unknown header provider is a 400 naming the valid ids', () => {
    expect(() => selectProvider(rules, undefined, headers('nope'), 'fast')).toThrow(/unknown provider "nope" in model-provider header; valid: local-echo/)
  })
})

describe('model prefix and globs', () => {
  test('a prefix needs a known provider id and a model after the slash', () => {
    expect(splitModelPrefix('claude-kiro-oauth/claude-sonnet-4-5')).toEqual({ provider: 'claude-kiro-oauth', model: 'claude-sonnet-4-5' })
    expect(splitModelPrefix('openai-custom/')).toBeUndefined()
    expect(splitModelPrefix('/gpt-4o')).toBeUndefined()
    expect(splitModelPrefix('Qwen/Qwen3-Coder')).toBeUndefined()
  })

  test('* matches any run of characters, slashes included; other characters are literal', () => {
    const routes = compileModelRoutes({ 'a.b*': 'openai-custom', '*/*': 'claude-custom', 'x+y': 'local-echo' })
    expect(findRoute(routes, 'a.b-1')?.pattern).toBe('a.b*')
    expect(findRoute(routes, 'axb-1')).toBeUndefined()
    expect(findRoute(routes, 'org/team/model')?.pattern).toBe('*/*')
    expect(findRoute(routes, 'x+y')?.pattern).toBe('x+y')
    expect(findRoute(routes, 'xxy')).toBeUndefined()
  })
})
