// The README's configuration table, generated from the key list so the two cannot drift
// (tests/config/docs-table.test.ts fails when README.md holds another version).
import { CONFIG_KEYS, keySpec } from './schema.ts'

export const TABLE_START = '<!-- config-table:start -->'
export const TABLE_END = '<!-- config-table:end -->'

export function configTable(): string {
  const rows = CONFIG_KEYS.map((key) => {
    const spec = keySpec(key)
    const description = (spec.schema as { description?: string }).description ?? ''
    const fallback = spec.defaultText ?? (spec.default === undefined ? '–' : `\`${String(spec.default)}\``)
    const notes = [spec.member ? 'pool member may override' : '', spec.secret ? 'secret' : ''].filter(Boolean).join('; ')
    return `| \`${key}\` | ${spec.flag ? `\`--${spec.flag}\`` : '–'} | ${fallback} | ${description}${notes ? ` (${notes})` : ''} |`
  })
  return [TABLE_START, '| key | flag | default | meaning |', '|---|---|---|---|', ...rows, TABLE_END].join('\n')
}
