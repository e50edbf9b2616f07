import { expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { configTable } from '../../src/config/docs-table.ts'

test('README config table matches the config schema (run `npm run docs:config` to update)', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  expect(readme).toContain(configTable())
})
