// Requests waiting for a member slot while every candidate is at its maxConcurrent limit:
// first come, first served. A waiter leaves at its deadline or when its client goes away.
import type { Scheduler } from './scheduler.ts'

interface Waiter<T> {
  attempt: () => T | undefined
  settle: (value: T) => void
}

export interface WaitLimits<T> {
  ms: number
  signal: AbortSignal
  after: Scheduler['after']
  /** The answer for a waiter whose time ran out. */
  timedOut: () => T
  /** The answer for a waiter whose client went away. */
  aborted: () => T
}

export class WaitQueue<T> {
  readonly #waiters: Waiter<T>[] = []

  get length(): number {
    return this.#waiters.length
  }

  /**
   * `attempt` returns a result, or undefined while there is no room. It runs at once when
   * nobody waits (nobody overtakes the queue), then again whenever `drain` is called.
   */
  wait(attempt: () => T | undefined, limits: WaitLimits<T>): Promise<T> {
    if (this.#waiters.length === 0) {
      const now = attempt()
      if (now !== undefined) return Promise.resolve(now)
    }
    if (limits.signal.aborted) return Promise.resolve(limits.aborted())
    return new Promise<T>((resolve) => {
      const finish = (value: T) => {
        cancelTimer()
        limits.signal.removeEventListener('abort', onAbort)
        resolve(value)
      }
      const waiter: Waiter<T> = { attempt, settle: finish }
      const leave = (value: T) => {
        const at = this.#waiters.indexOf(waiter)
        if (at !== -1) this.#waiters.splice(at, 1)
        finish(value)
        // The one who left may have blocked the head of the queue.
        this.drain()
      }
      const onAbort = () => leave(limits.aborted())
      const cancelTimer = limits.after(limits.ms, () => leave(limits.timedOut()))
      limits.signal.addEventListener('abort', onAbort, { once: true })
      this.#waiters.push(waiter)
    })
  }

  /** Room may have appeared: serve waiters in order while the head can be served. */
  drain(): void {
    for (let head = this.#waiters[0]; head !== undefined; head = this.#waiters[0]) {
      const value = head.attempt()
      if (value === undefined) return
      this.#waiters.shift()
      head.settle(value)
    }
  }
}
