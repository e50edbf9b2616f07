// A small level-gated logger. Every line passes through `redact`, which replaces any
// registered secret (keys, tokens) with a marker, so secrets never reach the logs.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
  /** Register a secret to be masked in every later line (tokens obtained at run time, too). */
  addSecret(secret: string | undefined): void
  /** The text with every registered secret masked. */
  redact(text: string): string
}

export interface LoggerOptions {
  level?: LogLevel
  /** Where lines go; tests capture them. */
  write?: (level: LogLevel, line: string) => void
}

const defaultWrite = (level: LogLevel, line: string) => {
  if (level === 'warn' || level === 'error') console.error(line)
  else console.log(line)
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = ORDER[options.level ?? 'info']
  const write = options.write ?? defaultWrite
  const secrets = new Set<string>()
  const redact = (text: string) => {
    let out = text
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]')
    return out
  }
  const emit = (level: LogLevel) => (message: string) => {
    if (ORDER[level] < threshold) return
    write(level, redact(`${new Date().toISOString()} ${level.toUpperCase()} ${message}`))
  }
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    // Very short strings would mask ordinary words; real keys and tokens are longer.
    addSecret: (secret) => {
      if (secret && secret.length >= 6) secrets.add(secret)
    },
    redact,
  }
}
