import { afterAll, describe, expect, test } from 'bun:test'
import { chmodSync, chownSync, lstatSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeFileAtomic } from '../../src/fs/atomic-write.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const dir = tempDir('sb-atomic-')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('atomic writes', () => {
  test('a new file is created with the given mode and no temp file is left', () => {
    const path = join(dir, 'new.json')
    writeFileAtomic(path, 'one', 0o600)
    expect(readFileSync(path, 'utf8')).toBe('one')
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  test('a symlinked file: the target gets the new content and the link stays a link', () => {
    const target = join(dir, 'real-creds.json')
    const link = join(dir, 'creds-link.json')
    writeFileSync(target, 'stale')
    symlinkSync(target, link)
    writeFileAtomic(link, 'fresh')
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readFileSync(target, 'utf8')).toBe('fresh')
    expect(readFileSync(link, 'utf8')).toBe('fresh')
  })

  test("an existing file keeps its owner (a user's file stays theirs when root refreshes it) and its mode, never wider than asked", () => {
    const path = join(dir, 'owned.json')
    writeFileSync(path, 'old')
    chmodSync(path, 0o400)
    const isRoot = process.getuid?.() === 0
    // As root, hand the file to another user first, as a user's own credential file would be.
    if (isRoot) chownSync(path, 1234, 5678)
    const before = statSync(path)
    writeFileAtomic(path, 'new', 0o600)
    const after = statSync(path)
    expect(readFileSync(path, 'utf8')).toBe('new')
    expect(after.mode & 0o777).toBe(0o400)
    chmodSync(path, 0o644)
    writeFileAtomic(path, 'newer', 0o600)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect([after.uid, after.gid]).toEqual([before.uid, before.gid])
    if (isRoot) expect([after.uid, after.gid]).toEqual([1234, 5678])
  })
})
