// Shared set-up of the Kiro provider tests: a full member config with defaults, temp
// token files, a controllable clock and a logger that keeps its lines.
import { writeFileSync } from 'node:fs'
import { CONFIG_KEYS, KEYS, type KeySpec, type MemberConfig } from '../../../src/config/schema.ts'
import { createLogger, type Logger } from '../../../src/log.ts'
import { tempDir as makeTempDir } from '../../helpers/temp-dir.ts'

export function kiroConfig(overrides: Partial<MemberConfig> = {}): MemberConfig {
  const defaults = Object.fromEntries(
    CONFIG_KEYS.flatMap((key) => ((KEYS[key] as KeySpec).default === undefined ? [] : [[key, (KEYS[key] as KeySpec).default]])),
  )
  return { ...defaults, ...overrides } as MemberConfig
}

/** A fresh folder per credential (never share one: see docs/protocols.md#kiro-credentials). */
export function tempDir(): string {
  return makeTempDir('kiro-test-')
}

export function writeJson(path: string, value: unknown): string {
  writeFileSync(path, JSON.stringify(value), { mode: 0o600 })
  return path
}

export const T0 = Date.UTC(2026, 0, 9, 4, 0, 0)

/** A clock tests move by hand. */
export function manualClock(start = T0): { now: () => number; advance: (ms: number) => void } {
  let current = start
  return { now: () => current, advance: (ms) => void (current += ms) }
}

export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return Object.assign(createLogger({ level: 'debug', write: (_level, line) => lines.push(line) }), { lines })
}
