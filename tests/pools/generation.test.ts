// Hot reload: what survives a change of the pools file.
import { describe, expect, test } from 'bun:test'
import { writeFileSync } from 'node:fs'
import type { Lease, PickResult } from '../../src/pools/index.ts'
import { defaultConfig, fakeDefinition, makePools, memberError, poolsFileWith, type FakeBehaviour } from './helpers.ts'

function lease(result: PickResult): Lease {
  if ('error' in result) throw result.error
  return result.lease
}

const member = (uuid: string, extra: Record<string, unknown> = {}) => ({ uuid, OPENAI_API_KEY: `sk-${uuid}-0123456789`, ...extra })

function setUp(members: unknown[], behaviour: FakeBehaviour = { requiredKey: 'OPENAI_API_KEY' }, config = defaultConfig()) {
  const definition = fakeDefinition('openai-custom', behaviour)
  const { path } = poolsFileWith({ 'openai-custom': members })
  const harness = makePools({ definitions: { 'openai-custom': definition }, poolsFilePath: path, config })
  const rewrite = (next: unknown) => writeFileSync(path, typeof next === 'string' ? next : JSON.stringify(next))
  const snapshot = () => harness.pools.snapshot()['openai-custom'] ?? []
  const clientOf = (uuid: string) => definition.clients.find((c) => c.config.OPENAI_API_KEY === `sk-${uuid}-0123456789`)
  return { ...harness, definition, rewrite, snapshot, clientOf, path }
}

describe('hot reload', () => {
  test('unchanged members keep their state and client; changed ones start fresh; new ones join', () => {
    const { pools, rewrite, snapshot, definition } = setUp([member('same'), member('changed'), member('reweighted')])
    for (const uuid of ['same', 'changed', 'reweighted']) {
      const picked = lease(pools.pick('openai-custom', { tried: new Set(['same', 'changed', 'reweighted'].filter((u) => u !== uuid)) }))
      picked.succeeded(150)
      picked.failed(memberError(502, 'bad_gateway'))
      picked.end()
    }
    const clientsBefore = [...definition.clients]
    rewrite({
      'openai-custom': [
        member('same'),
        member('changed', { OPENAI_BASE_URL: 'https://elsewhere.test/v1' }),
        member('reweighted', { weight: 5, checkModelName: 'm' }),
        member('new'),
      ],
    })
    expect(pools.reload()).toBe(true)
    const after = snapshot()
    expect(after.map((m) => [m.uuid, m.requests, m.failures, m.weight])).toEqual([
      ['same', 1, 1, 1],
      ['changed', 0, 0, 1],
      ['reweighted', 1, 1, 5],
      ['new', 0, 0, 1],
    ])
    expect(definition.clients).toHaveLength(5)
    expect(clientsBefore.map((c) => c.closed)).toEqual([false, true, false])
    expect(definition.clients[3]?.config.OPENAI_BASE_URL).toBe('https://elsewhere.test/v1')
  })

  test('a removed member finishes its in-flight request, then its client is closed', () => {
    const { pools, rewrite, snapshot, clientOf } = setUp([member('stays'), member('leaves')])
    const running = lease(pools.pick('openai-custom', { tried: new Set(['stays']) }))
    expect(running.member.uuid).toBe('leaves')
    rewrite({ 'openai-custom': [member('stays')] })
    expect(pools.reload()).toBe(true)
    expect(snapshot().map((m) => m.uuid)).toEqual(['stays'])
    expect(clientOf('leaves')?.closed).toBe(false)
    for (let i = 0; i < 20; i++) expect(lease(pools.pick('openai-custom', { tried: new Set() })).member.uuid).toBe('stays')
    running.succeeded(100)
    running.end()
    expect(clientOf('leaves')?.closed).toBe(true)
  })

  test('disabling a member retires its client; enabling it again creates one and keeps the state', () => {
    const { pools, rewrite, snapshot, definition } = setUp([member('a'), member('b')])
    const picked = lease(pools.pick('openai-custom', { tried: new Set(['b']) }))
    picked.succeeded(100)
    picked.end()
    rewrite({ 'openai-custom': [member('a', { disabled: true }), member('b')] })
    pools.reload()
    expect(definition.clients[0]?.closed).toBe(true)
    expect(snapshot()[0]).toMatchObject({ disabled: true, requests: 1 })
    rewrite({ 'openai-custom': [member('a'), member('b')] })
    pools.reload()
    expect(definition.clients).toHaveLength(3)
    expect(snapshot()[0]).toMatchObject({ disabled: false, requests: 1, latencyMs: 100 })
  })

  test('a broken file is rejected: the old pools stay in force and the error is logged', () => {
    const { pools, rewrite, snapshot, lines } = setUp([member('a'), member('b')])
    const cases = [
      '{ "openai-custom": [',
      { 'openai-custom': [member('a'), member('a')] },
      { 'openai-custom': [member('a'), { uuid: 'c' }] },
      { 'no-such-provider': [] },
    ]
    for (const broken of cases) {
      rewrite(broken)
      expect(pools.reload()).toBe(false)
      expect(snapshot().map((m) => m.uuid)).toEqual(['a', 'b'])
      expect(lease(pools.pick('openai-custom', { tried: new Set() })).member.uuid).toMatch(/^[ab]$/)
    }
    const errors = lines.filter((line) => line.includes('ERROR pools: keeping the current pools'))
    expect(errors).toHaveLength(4)
    expect(errors[1]).toContain('uuid "a" is used twice')
  })

  test('when a new client cannot be created, nothing changes and clients made so far are closed', () => {
    const { pools, rewrite, snapshot, definition } = setUp([member('a')], {
      create: (config) => {
        if (config.OPENAI_API_KEY === 'sk-bad-0123456789') throw new Error('malformed key')
      },
    })
    rewrite({ 'openai-custom': [member('a'), member('fresh'), member('bad')] })
    expect(pools.reload()).toBe(false)
    expect(snapshot().map((m) => m.uuid)).toEqual(['a'])
    expect(definition.clients.map((c) => c.closed)).toEqual([false, true])
  })

  test('a provider whose entries disappear falls back to the top-level credentials', () => {
    const { pools, rewrite, snapshot } = setUp([member('a')], { requiredKey: 'OPENAI_API_KEY' }, defaultConfig({ OPENAI_API_KEY: 'sk-top-0123456789' }))
    rewrite({})
    expect(pools.reload()).toBe(true)
    expect(snapshot().map((m) => m.uuid)).toEqual(['default'])
  })
})
