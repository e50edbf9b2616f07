// Every Redis key and the one channel, under REDIS_PREFIX.

export class Keys {
  readonly channel: string
  /** Hash: `provider/uuid` → `stamp|verdict JSON`. */
  readonly members: string
  /** Hash: `provider/uuid` → `{at, raw}` of the newest OAuth credential. */
  readonly credentials: string

  constructor(readonly prefix: string) {
    this.channel = `${prefix}events`
    this.members = `${prefix}members`
    this.credentials = `${prefix}oauth`
  }

  /** String with a TTL: `stamp|uuid`. */
  session(id: string): string {
    return `${this.prefix}session:${id}`
  }

  sessionIdOf(key: string): string {
    return key.slice(`${this.prefix}session:`.length)
  }

  /** The refresh lock of one credential (SET NX PX). */
  refreshLock(credential: string): string {
    return `${this.prefix}oauth-lock:${credential}`
  }
}
