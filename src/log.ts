// A small level-gated logger, text (default) or one JSON object per line (LOG_FORMAT=json).
// Every line passes through `redact`, which replaces any registered secret (keys, tokens)
// with a marker, so secrets never reach the logs.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export type LogFormat = 'text' | 'json'

/** Structured fields of a line: `event` names what happened (access, startup, reload, health, breaker). */
export type LogFields = Record<string, string | number | boolean | null | undefined>

export interface Logger {
  debug(message: string, fields?: LogFields): void
  info(message: string, fields?: LogFields): void
  warn(message: string, fields?: LogFields): void
  error(message: string, fields?: LogFields): void
  /** Register a secret to be masked in every later line (tokens obtained at run time, too). */
  addSecret(secret: string | undefined): void
  /** The text with every registered secret masked. */
  redact(text: string): string
  /** Register a server file path: answers to clients show only its file name. */
  addPath(path: string | undefined): void
  /** Text fit for a client: secrets masked and server paths cut to their file name. */
  forClient(text: string): string
}

export interface LoggerOptions {
  level?: LogLevel
  format?: LogFormat
  /** Where lines go; tests capture them. */
  write?: (level: LogLevel, line: string) => void
}

/**
 * stdout lines are written in batches, one write per event-loop turn: with an access line
 * per request, a write (a system call) per line cost more than the request itself. Warnings
 * and errors go to stderr at once, after the pending stdout lines, and anything still
 * pending is written when the process exits.
 */
function batchedWrite(): (level: LogLevel, line: string) => void {
  let pending: string[] = []
  const flush = () => {
    if (pending.length === 0) return
    const lines = pending
    pending = []
    console.log(lines.join('\n'))
  }
  process.on('exit', flush)
  return (level, line) => {
    if (level === 'warn' || level === 'error') {
      flush()
      console.error(line)
      return
    }
    if (pending.length === 0) setImmediate(flush)
    pending.push(line)
  }
}

let sharedWrite: ((level: LogLevel, line: string) => void) | undefined
/** One batch for the process, however many loggers write to stdout. */
const defaultWrite = (level: LogLevel, line: string) => {
  sharedWrite ??= batchedWrite()
  sharedWrite(level, line)
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = ORDER[options.level ?? 'info']
  const write = options.write ?? defaultWrite
  const secrets = new Set<string>()
  const paths = new Map<string, string>()
  const replaceAll = (text: string, found: string, by: string) => (text.includes(found) ? text.split(found).join(by) : text)
  const redact = (text: string) => {
    let out = text
    // Kept longest first, so a secret that contains another is masked whole.
    for (const secret of secrets) out = replaceAll(out, secret, '[redacted]')
    return out
  }
  const line = options.format === 'json' ? jsonLine : textLine
  const emit = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (ORDER[level] < threshold) return
    write(level, redact(line(level, message, fields)))
  }
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    // Any length: a short key still opens the gateway (the banner warns about it).
    addSecret: (secret) => {
      if (!secret || secret.trim() === '' || secrets.has(secret)) return
      const sorted = [...secrets, secret].sort((a, b) => b.length - a.length)
      secrets.clear()
      for (const item of sorted) secrets.add(item)
    },
    redact,
    addPath: (path) => {
      const name = path?.split(/[\\/]/).pop()
      if (path && name && name !== path) paths.set(path, name)
    },
    forClient: (text) => {
      let out = redact(text)
      for (const [path, name] of paths) out = replaceAll(out, path, name)
      return out
    },
  }
}

/** Text lines keep their message; the fields are for JSON consumers. */
function textLine(level: LogLevel, message: string): string {
  return `${new Date().toISOString()} ${level.toUpperCase()} ${message}`
}

function jsonLine(level: LogLevel, message: string, fields?: LogFields): string {
  const line: Record<string, unknown> = { time: new Date().toISOString(), level, msg: message }
  if (fields) for (const key in fields) if (fields[key] !== undefined) line[key] = fields[key]
  return JSON.stringify(line)
}
