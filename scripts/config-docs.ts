// Rewrites the configuration table in README.md from src/config/schema.ts.
import { readFileSync, writeFileSync } from 'node:fs'
import { TABLE_END, TABLE_START, configTable } from '../src/config/docs-table.ts'

const path = new URL('../README.md', import.meta.url).pathname
const readme = readFileSync(path, 'utf8')
const start = readme.indexOf(TABLE_START)
const end = readme.indexOf(TABLE_END)
if (start === -1 || end === -1) throw new Error(`README.md has no ${TABLE_START} … ${TABLE_END} block`)
writeFileSync(path, readme.slice(0, start) + configTable() + readme.slice(end + TABLE_END.length))
console.log('README.md config table updated')
