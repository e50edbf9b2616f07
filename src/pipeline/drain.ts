// Graceful shutdown: once draining, new work is refused (503) and /health says "draining",
// streamed answers already running may finish within SHUTDOWN_TIMEOUT_MS, and the ones still
// running then end with the dialect's error event instead of a silent cut.
import { type GatewayError, unavailable } from '../errors/gateway-error.ts'

export class Drain {
  private readonly stop = new AbortController()
  private active = 0
  private idle: PromiseWithResolvers<void> | undefined
  draining = false

  /** A streamed answer's signal: its client leaving, or the drain running out of time. */
  signalFor(client: AbortSignal): AbortSignal {
    return AbortSignal.any([client, this.stop.signal])
  }

  /** Counts one streamed answer until the returned function is called (once is enough). */
  enter(): () => void {
    this.active++
    let left = false
    return () => {
      if (left) return
      left = true
      this.active--
      if (this.active === 0) this.idle?.resolve()
    }
  }

  get streams(): number {
    return this.active
  }

  /**
   * Starts draining and resolves when every streamed answer has ended: by itself within
   * `timeoutMs`, else cut with `error` (the streams then write their error events, which
   * `graceMs` waits for).
   */
  async close(timeoutMs: number, graceMs = 2_000): Promise<{ cut: number }> {
    this.draining = true
    if (this.active === 0) return { cut: 0 }
    const finished = this.whenIdle()
    if (await settlesWithin(finished, timeoutMs)) return { cut: 0 }
    const cut = this.active
    this.stop.abort(shuttingDown())
    await settlesWithin(finished, graceMs)
    return { cut }
  }

  private whenIdle(): Promise<void> {
    this.idle ??= Promise.withResolvers<void>()
    return this.idle.promise
  }
}

export function shuttingDown(): GatewayError {
  return unavailable('the gateway is shutting down; retry on another instance', { scope: 'gateway' })
}

async function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([promise.then(() => true as const), expired])
  } finally {
    clearTimeout(timer)
  }
}
