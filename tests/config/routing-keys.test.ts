import { describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../../src/config/load.ts'
import { runCli } from '../helpers/cli.ts'
import { tempDir } from '../helpers/temp-dir.ts'

function withFile(values: Record<string, unknown>) {
  const cwd = tempDir('sb-routing-config-')
  writeFileSync(join(cwd, 'config.json'), JSON.stringify(values))
  return () => loadConfig({ flags: {}, cwd, home: cwd })
}

describe('routing keys are validated at startup, naming the key and the entry', () => {
  test('MODEL_ROUTES from config.json keeps its key order; an unknown provider names the route', () => {
    const routes = { 'z-first': 'openai-custom', 'a-*': { provider: 'claude-custom', model: 'claude-x' } }
    expect(Object.keys(withFile({ MODEL_ROUTES: routes })().config.MODEL_ROUTES ?? {})).toEqual(['z-first', 'a-*'])
    expect(withFile({ MODEL_ROUTES: { fast: 'open-ai' } })).toThrow(
      'config key MODEL_ROUTES (MODEL_ROUTES): route "fast": invalid value "open-ai"; allowed: a provider id (local-echo, openai-custom',
    )
    expect(withFile({ MODEL_ROUTES: { fast: { provider: 'openai-custom' } } })).toThrow(/route "fast": invalid value \{"provider":"openai-custom"\}/)
    expect(withFile({ MODEL_ROUTES: ['fast'] })).toThrow(/MODEL_ROUTES\): invalid value \["fast"\]; allowed: an object of model name or glob/)
  })

  test('--model-routes takes JSON; broken JSON is named', () => {
    const cwd = tempDir('sb-routing-flag-')
    const { config } = loadConfig({ flags: { MODEL_ROUTES: '{"fast":"openai-custom"}' }, cwd, home: cwd })
    expect(config.MODEL_ROUTES).toEqual({ fast: 'openai-custom' })
    expect(() => loadConfig({ flags: { MODEL_ROUTES: '{fast' }, cwd, home: cwd })).toThrow(/^--model-routes \(MODEL_ROUTES\): not valid JSON/)
  })

  test('FALLBACK_CHAIN: keys are provider ids, values non-empty lists of steps', () => {
    expect(
      withFile({ FALLBACK_CHAIN: { 'gemini-cli-oauth': ['claude-kiro-oauth', { provider: 'openai-custom', model: 'gpt-4o' }] } })().config.FALLBACK_CHAIN,
    ).toEqual({
      'gemini-cli-oauth': ['claude-kiro-oauth', { provider: 'openai-custom', model: 'gpt-4o' }],
    })
    expect(withFile({ FALLBACK_CHAIN: { gemini: ['claude-kiro-oauth'] } })).toThrow(/FALLBACK_CHAIN\): unknown provider "gemini"; allowed: local-echo/)
    expect(withFile({ FALLBACK_CHAIN: { 'gemini-cli-oauth': [] } })).toThrow(/gemini-cli-oauth: must be a non-empty list/)
    expect(withFile({ FALLBACK_CHAIN: { 'gemini-cli-oauth': ['kiro'] } })).toThrow(/gemini-cli-oauth: invalid step "kiro"/)
  })

  test('PROXY_URL takes http(s) URLs; SOCKS is refused with the reason', () => {
    expect(withFile({ PROXY_URL: 'http://user:pa%40ss@127.0.0.1:8080' })().config.PROXY_URL).toBe('http://user:pa%40ss@127.0.0.1:8080')
    expect(withFile({ PROXY_URL: 'socks5://127.0.0.1:1080' })).toThrow(/PROXY_URL\): SOCKS proxies are not supported/)
    expect(withFile({ PROXY_URL: 'proxy:8080' })).toThrow(/allowed: http:\/\/\[user:pass@\]host:port/)
  })

  test('PROXY_PROVIDERS is a comma list (flag) or a list (config.json) of provider ids', () => {
    const cwd = tempDir('sb-routing-flag-')
    expect(loadConfig({ flags: { PROXY_PROVIDERS: 'gemini-cli-oauth, claude-kiro-oauth' }, cwd, home: cwd }).config.PROXY_PROVIDERS).toEqual([
      'gemini-cli-oauth',
      'claude-kiro-oauth',
    ])
    expect(withFile({ PROXY_PROVIDERS: ['gemini'] })).toThrow(/PROXY_PROVIDERS\): unknown provider "gemini"/)
  })

  test('the CLI exits 2 with the message on a bad route', async () => {
    const run = await runCli(['--model-routes', '{"fast":"nope"}'])
    expect(run.exited).toBe(true)
    if (!run.exited) return
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--model-routes (MODEL_ROUTES): route "fast": invalid value "nope"')
  })
})
