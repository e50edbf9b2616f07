// Notices edits of the pools file: an fs.watch on its folder (editors often replace the
// file by renaming, which a watch on the file itself would lose), plus a periodic stat for
// file systems where watching misses events. Bursts of events become one call.
import { statSync, watch, type FSWatcher } from 'node:fs'
import { basename, dirname } from 'node:path'
import type { Logger } from '../log.ts'
import type { Cancel, Scheduler } from './scheduler.ts'

export const WATCH_DEBOUNCE_MS = 500
export const WATCH_POLL_MS = 2_000

export function watchFile(path: string, onChange: () => void, scheduler: Scheduler, log: Logger): Cancel {
  const name = basename(path)
  let pending: Cancel | undefined
  const changed = () => {
    pending?.()
    pending = scheduler.after(WATCH_DEBOUNCE_MS, () => {
      pending = undefined
      onChange()
    })
  }
  let watcher: FSWatcher | undefined
  try {
    watcher = watch(dirname(path), (_event, filename) => {
      if (filename === null || filename === name) changed()
    })
    watcher.on('error', (error) => log.warn(`pools: watching ${path} failed (${error.message}); still checking it every ${WATCH_POLL_MS / 1000} s`))
    watcher.unref()
  } catch (error) {
    log.warn(`pools: cannot watch ${path} (${error instanceof Error ? error.message : String(error)}); checking it every ${WATCH_POLL_MS / 1000} s`)
  }
  let signature = statSignature(path)
  const stopPolling = scheduler.every(WATCH_POLL_MS, () => {
    const current = statSignature(path)
    if (current === signature) return
    signature = current
    changed()
  })
  return () => {
    pending?.()
    stopPolling()
    watcher?.close()
  }
}

function statSignature(path: string): string {
  try {
    const stat = statSync(path)
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`
  } catch {
    return 'missing'
  }
}
