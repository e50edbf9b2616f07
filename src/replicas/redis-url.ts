// REDIS_URL: redis:// or rediss:// (TLS), optional user:password, optional /db index.
// Checked once at startup; logs name the server by host, port and db only.
import { ConfigError } from '../config/load.ts'

export interface RedisTarget {
  url: string
  /** host:port/db, without credentials: what logs and /health show. */
  label: string
}

export function parseRedisUrl(url: string): RedisTarget {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new ConfigError('REDIS_URL is not a valid URL; expected redis://[user:password@]host[:port][/db] or rediss://…')
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new ConfigError('REDIS_URL must start with redis:// or rediss://')
  if (parsed.hostname === '') throw new ConfigError('REDIS_URL has no host; expected redis://host[:port][/db]')
  const db = parsed.pathname.replace(/^\/+/, '')
  if (db !== '' && !/^\d{1,5}$/.test(db)) throw new ConfigError(`REDIS_URL: the path must be a database index such as /0, not "/${db.slice(0, 40)}"`)
  const port = parsed.port === '' ? '6379' : parsed.port
  return { url, label: `${parsed.protocol}//${parsed.hostname}:${port}/${db === '' ? '0' : Number(db)}` }
}
