import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sha256Hex } from '../src/keys/keys-file.ts'
import { CLIENT_KEY } from './setup.ts'

// Features that sit on the passthrough path when configured. Each entry is one gateway
// instance (the `main` config plus the entry's keys) and one scenario of the same id:
// non-stream passthrough at 32 connections, judged against openai-c32 of the same run
// (a configured feature may cost at most FEATURE_BUDGET_PCT). A feature that lands adds
// an entry here and nothing else; one that needs a program (redis-server) names it in
// `requires` and is skipped, with a note, where that program is missing.

export const FEATURE_BUDGET_PCT = 3

export interface FeatureContext {
  /** The fake upstream's base URL (no /v1). */
  upstream: string
  /** The instance's own working directory (its config sits here; write any files it needs). */
  dir: string
}

export interface Feature {
  id: string
  title: string
  /** Config keys on top of the `main` instance's. */
  config(context: FeatureContext): Record<string, unknown>
  /** A program that must be on PATH. */
  requires?: string
  /** Another master key for this instance, so the bench's own key is checked as a client key. */
  masterKey?: string
}

/** 49 globs and exact names the bench model does not match, then the one it does: the longest walk. */
function fiftyRoutes(): Record<string, unknown> {
  const routes: Record<string, unknown> = {}
  for (let n = 1; n <= 49; n++)
    routes[n % 2 === 0 ? `vendor-${n}-*` : `alias-${n}`] = n % 3 === 0 ? 'claude-custom' : { provider: 'local-echo', model: `m${n}` }
  routes['bench-*'] = 'openai-custom'
  return routes
}

/** 1,000 client keys, the bench's own among them (hashed, as a careful operator writes them), with limits it never reaches. */
function thousandKeys(dir: string): string {
  const keys = Array.from({ length: 999 }, (_, n) => ({ name: `user-${n}`, keyHash: `sha256:${sha256Hex(`sk-bench-user-${n}-0000`)}`, rpm: 1_000_000 }))
  keys.push({ name: 'bench', keyHash: `sha256:${sha256Hex(CLIENT_KEY)}`, rpm: 100_000_000 })
  const path = join(dir, 'keys.json')
  writeFileSync(path, JSON.stringify({ keys }))
  return path
}

export const FEATURES: Feature[] = [
  {
    id: 'keys-1000',
    title: '1,000 client keys, limits checked, usage recorded',
    masterKey: 'bench-master-key-0123456789',
    config: ({ dir }) => ({ CLIENT_KEYS_FILE_PATH: thousandKeys(dir), USAGE_DB_PATH: join(dir, 'usage.db') }),
  },
  {
    id: 'routes-50',
    title: 'chosen by the last of 50 MODEL_ROUTES',
    // The default is local-echo here, so only the last route can send the bench model upstream.
    config: () => ({ MODEL_PROVIDER: 'local-echo,openai-custom,claude-custom', MODEL_ROUTES: fiftyRoutes() }),
  },
  {
    id: 'json-logs',
    title: 'LOG_FORMAT=json (one access line per request)',
    config: () => ({ LOG_FORMAT: 'json' }),
  },
]

/** Why a feature cannot be measured on this machine, or undefined. */
export function featureUnavailable(feature: Feature): string | undefined {
  return feature.requires && Bun.which(feature.requires) === null ? `${feature.requires} is not installed` : undefined
}
