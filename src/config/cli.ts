// Command-line flags: `--flag value` or `--flag=value`, one per config key, plus
// --config, --help and --version. Unknown flags are an error, not silently ignored.
import { CONFIG_KEYS, keySpec, type ConfigKey } from './schema.ts'
import { ConfigError } from './load.ts'

export interface ParsedArgs {
  flags: Partial<Record<ConfigKey, string>>
  configPath?: string
  help: boolean
  version: boolean
}

const KEY_BY_FLAG = new Map<string, ConfigKey>(
  CONFIG_KEYS.flatMap((key) => {
    const flag = keySpec(key).flag
    return flag ? [[flag, key] as const] : []
  }),
)

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { flags: {}, help: false, version: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--help' || arg === '-h') {
      out.help = true
      continue
    }
    if (arg === '--version' || arg === '-v') {
      out.version = true
      continue
    }
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument ${JSON.stringify(arg)}; flags look like --port 3000 (see --help)`)
    const eq = arg.indexOf('=')
    const name = arg.slice(2, eq === -1 ? undefined : eq)
    let value: string | undefined
    if (eq !== -1) value = arg.slice(eq + 1)
    else {
      value = argv[i + 1]
      if (value === undefined || value.startsWith('--')) throw new ConfigError(`--${name}: missing value (see --help)`)
      i++
    }
    if (name === 'config') {
      out.configPath = value
      continue
    }
    const key = KEY_BY_FLAG.get(name)
    if (!key) throw new ConfigError(`--${name}: unknown flag (see --help for the list)`)
    out.flags[key] = value
  }
  return out
}

export function helpText(version: string): string {
  const rows = CONFIG_KEYS.flatMap((key) => {
    const spec = keySpec(key)
    if (!spec.flag) return []
    const schema = spec.schema as { description?: string }
    const fallback = spec.defaultText ?? (spec.default === undefined ? '' : `default ${String(spec.default)}`)
    return [`  --${spec.flag.padEnd(28)} ${schema.description ?? ''}${fallback ? ` (${fallback})` : ''} [${key}]`]
  })
  return [
    `switchboard ${version} — LLM API gateway (OpenAI, Anthropic and Gemini clients to any provider)`,
    '',
    'Usage: switchboard [--flag value ...]',
    '',
    'Flags (CLI > config.json > default; each also a config.json key, shown in brackets):',
    `  --${'config'.padEnd(28)} config file (default ./config.json; a missing default file is fine)`,
    ...rows,
    `  --${'help'.padEnd(28)} this text`,
    `  --${'version'.padEnd(28)} print the version`,
  ].join('\n')
}
