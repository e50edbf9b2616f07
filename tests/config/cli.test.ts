import { describe, expect, test } from 'bun:test'
import { helpText, parseArgs } from '../../src/config/cli.ts'
import { CONFIG_KEYS, keySpec } from '../../src/config/schema.ts'

describe('parseArgs', () => {
  test('accepts --flag value and --flag=value', () => {
    const args = parseArgs(['--port', '4000', '--model-provider=openai-custom', '--config', 'c.json'])
    expect(args.flags).toEqual({ SERVER_PORT: '4000', MODEL_PROVIDER: 'openai-custom' })
    expect(args.configPath).toBe('c.json')
  })

  test('--help and --version', () => {
    expect(parseArgs(['--help']).help).toBe(true)
    expect(parseArgs(['-v']).version).toBe(true)
  })

  test('unknown flags and missing values are errors', () => {
    expect(() => parseArgs(['--nope', '1'])).toThrow('--nope: unknown flag')
    expect(() => parseArgs(['--port'])).toThrow('--port: missing value')
    expect(() => parseArgs(['stray'])).toThrow('unexpected argument')
  })

  test('--help lists every flag', () => {
    const text = helpText('1.0.0')
    for (const key of CONFIG_KEYS) {
      const flag = keySpec(key).flag
      if (flag) expect(text).toContain(`--${flag}`)
    }
  })
})
