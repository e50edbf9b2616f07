import { describe, expect, test } from 'bun:test'
import { utimesSync, writeFileSync } from 'node:fs'
import { WATCH_DEBOUNCE_MS, WATCH_POLL_MS } from '../../src/pools/watch.ts'
import { fakeDefinition, makePools, poolsFileWith } from './helpers.ts'

const member = (uuid: string) => ({ uuid, OPENAI_API_KEY: `sk-${uuid}-0123456789` })

function setUp() {
  const { path } = poolsFileWith({ 'openai-custom': [member('a')] })
  const harness = makePools({ definitions: { 'openai-custom': fakeDefinition('openai-custom') }, poolsFilePath: path })
  harness.pools.start()
  const uuids = () => (harness.pools.snapshot()['openai-custom'] ?? []).map((m) => m.uuid)
  return { ...harness, path, uuids }
}

describe('pools file watching', () => {
  test('an edit seen by the periodic stat is applied after the debounce', async () => {
    const { path, scheduler, uuids, pools } = setUp()
    expect(scheduler.intervals.map((job) => job.ms)).toContain(WATCH_POLL_MS)
    writeFileSync(path, JSON.stringify({ 'openai-custom': [member('a'), member('b'), member('c')] }))
    await scheduler.tickIntervals()
    expect(scheduler.pendingTimeouts().map((job) => job.ms)).toContain(WATCH_DEBOUNCE_MS)
    expect(uuids()).toEqual(['a'])
    scheduler.fireTimeouts()
    expect(uuids()).toEqual(['a', 'b', 'c'])
    await pools.stop()
  })

  test('an edit seen by fs.watch is applied after the debounce', async () => {
    const { path, scheduler, uuids, pools } = setUp()
    const scheduled = scheduler.nextTimeout()
    writeFileSync(path, JSON.stringify({ 'openai-custom': [member('a'), member('w')] }))
    await scheduled
    scheduler.fireTimeouts()
    expect(uuids()).toEqual(['a', 'w'])
    await pools.stop()
  })

  test('touching the file without changing it reloads nothing', async () => {
    const { path, scheduler, lines, pools } = setUp()
    const later = new Date(Date.now() + 60_000)
    utimesSync(path, later, later)
    await scheduler.tickIntervals()
    scheduler.fireTimeouts()
    expect(lines.filter((line) => line.includes('reloaded'))).toEqual([])
    await pools.stop()
  })

  test('stop() ends the polling and the pending debounce', async () => {
    const { scheduler, pools } = setUp()
    await pools.stop()
    expect(scheduler.intervals.every((job) => job.cancelled)).toBe(true)
    expect(scheduler.pendingTimeouts()).toEqual([])
  })
})
