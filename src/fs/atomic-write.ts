// Writes a file so that readers see the old or the new content, never a torn one:
// write a temp file beside it, fsync, then rename over the target. A symlink is followed
// (its target is replaced, the link stays), and an existing file keeps its owner, so a user's
// CLI can still read the credential file we refreshed while running as root. Its mode is kept
// too, narrowed to `mode`: a token file never stays readable by group or others.
import { closeSync, fchmodSync, fchownSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

let counter = 0

export function writeFileAtomic(path: string, content: string, mode = 0o600): void {
  const target = resolveTarget(path)
  const existing = ownerAndMode(target)
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${++counter}.tmp`)
  const finalMode = existing ? existing.mode & mode : mode
  const fd = openSync(temp, 'w', finalMode)
  try {
    if (existing) {
      fchmodSync(fd, finalMode)
      keepOwner(fd, existing)
    }
    writeSync(fd, content)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  try {
    renameSync(temp, target)
  } catch (error) {
    try {
      unlinkSync(temp)
    } catch {
      // The temp file is already gone; the rename error is the one to report.
    }
    throw error
  }
}

/** The file a path finally names (following links); the path itself when it does not exist yet. */
function resolveTarget(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return path
  }
}

function ownerAndMode(path: string): { uid: number; gid: number; mode: number } | undefined {
  try {
    const stats = statSync(path)
    return { uid: stats.uid, gid: stats.gid, mode: stats.mode & 0o777 }
  } catch {
    return undefined
  }
}

function keepOwner(fd: number, owner: { uid: number; gid: number }): void {
  if (typeof process.getuid === 'function' && process.getuid() === owner.uid && process.getgid?.() === owner.gid) return
  try {
    fchownSync(fd, owner.uid, owner.gid)
  } catch {
    // Only root may give a file away; otherwise the new file is ours, as any editor's would be.
  }
}
