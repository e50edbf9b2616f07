// What in a config must never reach a client: the values of secret keys, the credentials
// inside any URL value (an outbound proxy's user:password), and file paths (shown by name).
import type { Logger } from '../log.ts'
import { PATH_KEYS, SECRET_KEYS } from './schema.ts'

export function registerSensitive(log: Pick<Logger, 'addSecret' | 'addPath'>, config: Readonly<Record<string, unknown>>): void {
  for (const key of SECRET_KEYS) log.addSecret(stringOf(config[key]))
  for (const key of PATH_KEYS) log.addPath(stringOf(config[key]))
  for (const value of Object.values(config)) {
    if (typeof value !== 'string' || !value.includes('@') || !URL.canParse(value)) continue
    // Only the password: a user name is often an ordinary word that masking would garble.
    const { password } = new URL(value)
    log.addSecret(password)
    log.addSecret(safeDecode(password))
  }
}

const stringOf = (value: unknown) => (typeof value === 'string' ? value : undefined)

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
