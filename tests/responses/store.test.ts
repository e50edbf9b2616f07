// The in-memory store of Responses answers: bounded in count (oldest dropped first) and age.
import { expect, test } from 'bun:test'
import { MemoryResponseStore } from '../../src/responses/store.ts'

const record = (id: string) => ({ input: [{ role: 'user', content: id }], response: { id } })

test('the oldest answer goes when the store is full', async () => {
  const store = new MemoryResponseStore(2, 60_000, () => 0)
  for (const id of ['a', 'b', 'c']) await store.put(id, record(id))
  expect(await store.get('a')).toBeUndefined()
  expect(await store.get('b')).toEqual(record('b'))
  expect(await store.get('c')).toEqual(record('c'))
  expect(store.size).toBe(2)
})

test('an answer past its TTL is gone, and expired ones are dropped when others are stored', async () => {
  let now = 0
  const store = new MemoryResponseStore(10, 1000, () => now)
  await store.put('a', record('a'))
  now = 999
  expect(await store.get('a')).toEqual(record('a'))
  await store.put('b', record('b'))
  now = 1000
  expect(await store.get('a')).toBeUndefined()
  now = 2500
  await store.put('c', record('c'))
  expect(store.size).toBe(1)
})

test('a store of size 0 keeps nothing', async () => {
  const store = new MemoryResponseStore(0, 1000, () => 0)
  await store.put('a', record('a'))
  expect(await store.get('a')).toBeUndefined()
})
