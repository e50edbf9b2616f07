// Reading files a user points us at (config, pools, keys, credentials, prompts). Only regular
// files are read, and only up to a size cap: a FIFO would block the event loop inside open()
// (not even SIGTERM could run), and a device such as /dev/zero would grow without end.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs'

/** Config-like files (config.json, pools, client keys, state, system prompt). */
export const SETTINGS_FILE_MAX_BYTES = 16 * 1024 * 1024
/** OAuth credential files: a few KiB in practice. */
export const CREDENTIAL_FILE_MAX_BYTES = 1024 * 1024

/** Why a file could not be read; the message never contains the file's content. */
export class FileReadError extends Error {
  constructor(
    readonly code: 'ENOENT' | 'NOT_REGULAR' | 'TOO_LARGE' | string,
    message: string,
  ) {
    super(message)
  }
}

/**
 * The file's text, when it is a regular file of at most `maxBytes`. Opened non-blocking and
 * checked again after opening, so a FIFO swapped in after the first look cannot block us.
 */
export function readBoundedText(path: string, maxBytes: number): string {
  checkRegular(statOrThrow(path), maxBytes)
  let fd: number
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    throw asReadError(error)
  }
  try {
    const stats = fstatSync(fd)
    checkRegular(stats, maxBytes)
    // One byte more than the cap tells a file that grew since fstat.
    const buffer = Buffer.allocUnsafe(Math.min(stats.size, maxBytes) + 1)
    let length = 0
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null)
      if (read === 0) break
      length += read
    }
    if (length > maxBytes) throw tooLarge(length, maxBytes)
    return buffer.toString('utf8', 0, length)
  } finally {
    closeSync(fd)
  }
}

/** Identity of a file's current content, for caches: changes when the file is replaced or written. */
export function fileVersion(path: string): string | undefined {
  try {
    const stats = statSync(path)
    return `${stats.ino}:${stats.size}:${stats.mtimeMs}`
  } catch {
    return undefined
  }
}

function statOrThrow(path: string): Stats {
  try {
    return statSync(path)
  } catch (error) {
    throw asReadError(error)
  }
}

function checkRegular(stats: Stats, maxBytes: number): void {
  if (!stats.isFile()) throw new FileReadError('NOT_REGULAR', 'not a regular file')
  if (stats.size > maxBytes) throw tooLarge(stats.size, maxBytes)
}

function tooLarge(size: number, maxBytes: number): FileReadError {
  return new FileReadError('TOO_LARGE', `too large (${size} bytes or more; the limit is ${maxBytes})`)
}

function asReadError(error: unknown): FileReadError {
  const code = (error as { code?: unknown }).code
  if (code === 'ENOENT' || code === 'ENOTDIR') return new FileReadError('ENOENT', 'no such file')
  return new FileReadError(typeof code === 'string' ? code : 'EIO', typeof code === 'string' ? code : String(error))
}
