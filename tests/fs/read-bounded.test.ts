import { afterAll, describe, expect, test } from 'bun:test'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { FileReadError, readBoundedText } from '../../src/fs/read-bounded.ts'
import { tempDir } from '../helpers/temp-dir.ts'

const dir = tempDir('sb-read-bounded-')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function failure(path: string, max = 1024): FileReadError {
  try {
    readBoundedText(path, max)
  } catch (error) {
    if (error instanceof FileReadError) return error
    throw error
  }
  throw new Error('expected a FileReadError')
}

describe('reading user-named files', () => {
  test('a regular file under the cap is read whole', () => {
    const path = join(dir, 'ok.json')
    writeFileSync(path, '{"a":"é"}')
    expect(readBoundedText(path, 1024)).toBe('{"a":"é"}')
  })

  test('a file over the cap is refused without reading it', () => {
    const path = join(dir, 'big.json')
    writeFileSync(path, 'x'.repeat(2048))
    expect(failure(path).code).toBe('TOO_LARGE')
  })

  test('a FIFO is refused at once instead of blocking the event loop in open()', () => {
    const path = join(dir, 'pipe')
    expect(Bun.spawnSync(['mkfifo', path]).exitCode).toBe(0)
    expect(failure(path).code).toBe('NOT_REGULAR')
  })

  test('a device such as /dev/zero is refused instead of read without end', () => {
    expect(failure('/dev/zero').code).toBe('NOT_REGULAR')
  })

  test('a directory and a missing file say what they are', () => {
    expect(failure(dir).code).toBe('NOT_REGULAR')
    expect(failure(join(dir, 'missing.json')).code).toBe('ENOENT')
  })
})
