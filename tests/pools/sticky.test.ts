import { describe, expect, test } from 'bun:test'
import { SessionAffinity } from '../../src/pools/sticky.ts'

describe('session affinity map', () => {
  test('remembers the last member per session', () => {
    const sessions = new SessionAffinity()
    sessions.set('s1', 'a', 0)
    sessions.set('s2', 'b', 0)
    sessions.set('s1', 'c', 10)
    expect(sessions.get('s1', 20)).toBe('c')
    expect(sessions.get('s2', 20)).toBe('b')
    expect(sessions.get('s3', 20)).toBeUndefined()
  })

  test('forgets entries older than the TTL', () => {
    const sessions = new SessionAffinity(10, 1_000)
    sessions.set('s', 'a', 0)
    expect(sessions.get('s', 1_000)).toBe('a')
    expect(sessions.get('s', 1_001)).toBeUndefined()
    expect(sessions.size).toBe(0)
  })

  test('is bounded: the least recently served sessions go first', () => {
    const sessions = new SessionAffinity(3, 60_000)
    sessions.set('s1', 'a', 0)
    sessions.set('s2', 'a', 1)
    sessions.set('s3', 'a', 2)
    sessions.set('s1', 'b', 3)
    sessions.set('s4', 'a', 4)
    expect(sessions.size).toBe(3)
    expect(sessions.get('s2', 5)).toBeUndefined()
    expect(sessions.get('s1', 5)).toBe('b')
    expect(sessions.get('s4', 5)).toBe('a')
  })
})

describe('session affinity memory', () => {
  test('megabyte session ids are not retained: the table holds hashes', () => {
    const sessions = new SessionAffinity()
    const filler = 'x'.repeat(1024 * 1024)
    Bun.gc(true)
    const before = process.memoryUsage().heapUsed
    // 200 distinct 1 MiB ids: kept whole they would hold 200 MiB (400 MiB as UTF-16).
    for (let i = 0; i < 200; i++) sessions.set(`${i}:${filler}`, 'member', 0)
    Bun.gc(true)
    const grown = process.memoryUsage().heapUsed - before
    expect(sessions.size).toBe(200)
    expect(grown).toBeLessThan(20 * 1024 * 1024)
    expect(sessions.get(`7:${filler}`, 1)).toBe('member')
  })
})
