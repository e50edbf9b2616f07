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
