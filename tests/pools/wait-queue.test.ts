import { describe, expect, test } from 'bun:test'
import { WaitQueue } from '../../src/pools/wait-queue.ts'

/** A hand-driven `after`: timers fire only when the test says so. */
function manualTimers() {
  const timers: Array<{ run: () => void; cancelled: boolean }> = []
  return {
    after: (_ms: number, run: () => void) => {
      const timer = { run, cancelled: false }
      timers.push(timer)
      return () => {
        timer.cancelled = true
      }
    },
    fireAll: () => {
      for (const timer of timers.splice(0)) if (!timer.cancelled) timer.run()
    },
  }
}

describe('WaitQueue', () => {
  test('first come, first served: nobody overtakes a waiting request, even when room appears for it', async () => {
    const queue = new WaitQueue<string>()
    const timers = manualTimers()
    let slots = 0
    const served: string[] = []
    const limits = { ms: 1000, signal: new AbortController().signal, after: timers.after, timedOut: () => 'timeout', aborted: () => 'aborted' }
    const take = (name: string) => () => {
      if (slots === 0) return undefined
      slots--
      return name
    }
    const waits = ['a', 'b', 'c'].map((name) => queue.wait(take(name), limits).then((value) => served.push(value)))
    expect(queue.length).toBe(3)
    slots = 1
    // A newcomer finds a free slot but waits behind the queue.
    const late = queue.wait(take('late'), limits).then((value) => served.push(value))
    expect(queue.length).toBe(4)
    queue.drain()
    slots = 3
    queue.drain()
    await Promise.all([...waits, late])
    expect(served).toEqual(['a', 'b', 'c', 'late'])
  })

  test('a waiter leaves at its deadline or on abort, and the queue moves on', async () => {
    const queue = new WaitQueue<string>()
    const timers = manualTimers()
    const controller = new AbortController()
    const never = () => undefined
    const base = { ms: 1000, after: timers.after, timedOut: () => 'timeout', aborted: () => 'aborted' }
    const aborted = queue.wait(never, { ...base, signal: controller.signal })
    const timedOut = queue.wait(never, { ...base, signal: new AbortController().signal })
    controller.abort()
    expect(await aborted).toBe('aborted')
    expect(queue.length).toBe(1)
    timers.fireAll()
    expect(await timedOut).toBe('timeout')
    expect(queue.length).toBe(0)
  })
})
