// Background timing behind one interface, so tests drive it by hand. The real one uses
// croner: runs never overlap (`protect`), a throwing run is logged and the process lives
// on (`catch`), jobs stay unnamed (croner names are process-wide) and never keep the
// process alive on their own (`unref`).
import { Cron } from 'croner'
import type { Logger } from '../log.ts'

export type Cancel = () => void

export interface Scheduler {
  /** Runs `run` on a croner pattern (a seconds field is allowed). */
  cron(pattern: string, run: () => Promise<unknown>): Cancel
  /** Runs `run` every `ms`, the first time `ms` from now. */
  every(ms: number, run: () => Promise<unknown> | undefined): Cancel
  /** Runs `run` once, `ms` from now. */
  after(ms: number, run: () => void): Cancel
}

export function systemScheduler(log: Logger): Scheduler {
  const options = {
    protect: true,
    unref: true,
    catch: (error: unknown) => log.error(`pools: background job failed: ${error instanceof Error ? error.message : String(error)}`),
  }
  return {
    cron(pattern, run) {
      const job = new Cron(pattern, options, async () => {
        await run()
      })
      return () => job.stop()
    },
    every(ms, run) {
      const seconds = Math.max(1, Math.round(ms / 1000))
      const job = new Cron('* * * * * *', { ...options, interval: seconds, startAt: new Date(Date.now() + seconds * 1000) }, async () => {
        await run()
      })
      return () => job.stop()
    },
    after(ms, run) {
      const timer = setTimeout(run, ms)
      timer.unref()
      return () => clearTimeout(timer)
    },
  }
}

/** Why a croner pattern is unusable, or undefined when it is fine. */
export function cronPatternProblem(pattern: string): string | undefined {
  try {
    new Cron(pattern, { paused: true }).stop()
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}
