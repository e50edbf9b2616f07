import { expect, test } from 'bun:test'
import { runLimited } from '../../src/pools/run-limited.ts'

test('runs every item, at most `limit` at a time, results in list order', async () => {
  let active = 0
  let highest = 0
  const results = await runLimited([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
    active++
    highest = Math.max(highest, active)
    for (let i = 0; i < n; i++) await Promise.resolve()
    active--
    return n * 10
  })
  expect(results).toEqual([50, 10, 40, 20, 30, 0, 60])
  expect(highest).toBe(3)
})

test('an empty list resolves at once', async () => {
  expect(await runLimited([], 4, () => Promise.resolve(1))).toEqual([])
})
