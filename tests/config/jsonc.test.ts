import { describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { JsoncError, parseJsonc } from '../../src/config/jsonc.ts'
import { loadConfig } from '../../src/config/load.ts'
import { parsePoolsFile } from '../../src/pools/pools-file.ts'
import { defaultConfig } from '../pools/helpers.ts'
import { PROVIDERS } from '../../src/providers/registry.ts'
import { tempDir } from '../helpers/temp-dir.ts'

function failure(text: string): JsoncError {
  try {
    parseJsonc(text)
  } catch (error) {
    if (error instanceof JsoncError) return error
    throw error
  }
  throw new Error('expected a syntax error')
}

// As AIClient-2-API's documentation writes its config.
const COMMENTED = `{
  // which provider answers by default
  "MODEL_PROVIDER": "local-echo", /* inline */
  "SERVER_PORT": 3100,
  /* a block
     comment */
  "REQUIRED_API_KEY": "k//not-a-comment/*nor this*/",
  "REQUEST_MAX_RETRIES": 2,
}
`

describe('parseJsonc', () => {
  test('reads // and /* */ comments and trailing commas, leaving strings alone', () => {
    expect(parseJsonc(COMMENTED)).toEqual({
      MODEL_PROVIDER: 'local-echo',
      SERVER_PORT: 3100,
      REQUIRED_API_KEY: 'k//not-a-comment/*nor this*/',
      REQUEST_MAX_RETRIES: 2,
    })
    expect(parseJsonc('[1, [2, 3,], {"a": null,},]  // end')).toEqual([1, [2, 3], { a: null }])
  })

  test('reads plain JSON exactly as JSON.parse does', () => {
    const text = JSON.stringify({ a: [1, -2.5e3, true, false, null], 'é\u00e9': 'x\n\t"\\\u2028😀', nested: { deep: [{}] } })
    expect(parseJsonc(text)).toEqual(JSON.parse(text))
    expect(parseJsonc('\uFEFF 42 ')).toBe(42)
  })

  test('a "__proto__" key stays a plain key', () => {
    const value = parseJsonc('{"__proto__": {"polluted": true}}') as Record<string, unknown>
    expect(Object.keys(value)).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
  })

  test.each([
    ['a missing comma', '{\n  "a": 1\n  "b": 2\n}', 3, 3, 'expected , or }'],
    ['an unquoted key', '{ a: 1 }', 1, 3, 'expected a "quoted" key'],
    ['a single-quoted string', '{"a": \'x\'}', 1, 7, 'expected a value'],
    ['a lone comma', '[,]', 1, 2, 'expected a value'],
    ['an unterminated block comment', '{ /* open', 1, 3, 'unterminated /* comment'],
    ['a cut file', '{"a": [1, 2', 1, 12, 'unexpected end of file'],
    ['text after the value', '{} {}', 1, 4, 'unexpected text after the JSON value'],
    ['a raw newline in a string', '{"a": "x\ny"}', 1, 7, 'invalid string'],
  ])('%s is an error at its line and column', (_name, text, line, column, reason) => {
    const error = failure(text)
    expect([error.line, error.column]).toEqual([line, column])
    expect(error.message).toContain(reason)
  })
})

describe('config-like files are JSONC', () => {
  const dir = () => tempDir('sb-jsonc-')

  test('config.json with comments and trailing commas loads', () => {
    const cwd = dir()
    writeFileSync(join(cwd, 'config.json'), COMMENTED)
    const { config } = loadConfig({ flags: {}, cwd })
    expect([config.SERVER_PORT, config.REQUEST_MAX_RETRIES, config.REQUIRED_API_KEY]).toEqual([3100, 2, 'k//not-a-comment/*nor this*/'])
  })

  test('a syntax error in config.json names the file, line and column', () => {
    const cwd = dir()
    writeFileSync(join(cwd, 'config.json'), '{\n  "SERVER_PORT": 3100\n  "HOST": "0.0.0.0"\n}')
    expect(() => loadConfig({ flags: {}, cwd })).toThrow(`${join(cwd, 'config.json')}: not valid JSON, line 3, column 3: unexpected`)
  })

  test('a pools file with comments and trailing commas loads; a syntax error names line and column', () => {
    const text = `{
      // the paid key first
      "openai-custom": [
        { "uuid": "a", "OPENAI_API_KEY": "sk-1-0123456789", /* spare */ },
      ],
    }`
    const pools = parsePoolsFile(text, '/etc/provider_pools.json', defaultConfig(), PROVIDERS)
    expect(pools.members.map((member) => member.uuid)).toEqual(['a'])
    expect(() => parsePoolsFile('{\n "openai-custom": [}', '/etc/provider_pools.json', defaultConfig(), PROVIDERS)).toThrow(
      'pools file /etc/provider_pools.json is not valid JSON: line 2, column 20',
    )
  })

  test('the CLI exits 2 with one line naming the file, line and column', async () => {
    const cwd = dir()
    const path = join(cwd, 'config.json')
    writeFileSync(path, '{\n  // fine\n  "SERVER_PORT": 3100,,\n}')
    const child = Bun.spawn([process.execPath, join(import.meta.dir, '../../src/index.ts'), '--config', path], { cwd, stdout: 'pipe', stderr: 'pipe' })
    const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()])
    expect(code).toBe(2)
    expect(stderr.trim()).toContain(`${path}: not valid JSON, line 3, column 23: expected a "quoted" key or }`)
    expect(stderr.trim().split('\n')).toHaveLength(1)
  })
})
