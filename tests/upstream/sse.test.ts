import { describe, expect, test } from 'bun:test'
import { decodeSse, sseFrame } from '../../src/upstream/sse.ts'
import { collect, randomlySplit } from '../helpers/chunks.ts'

const text = [
  'event: message_start',
  'data: {"a":"café 😀 日本"}',
  '',
  ': keep-alive comment',
  'data: line one',
  'data: line two',
  '',
  'data: [DONE]',
  '',
].join('\n')

describe('decodeSse', () => {
  test('decodes events, joins multi-line data and skips comments', async () => {
    const events = await collect(decodeSse(randomlySplit(text, 1, 10_000)))
    expect(events).toEqual([{ event: 'message_start', data: '{"a":"café 😀 日本"}' }, { data: 'line one\nline two' }, { data: '[DONE]' }])
  })

  test('is independent of chunk boundaries, including inside multi-byte characters', async () => {
    const expected = await collect(decodeSse(randomlySplit(text, 1, 10_000)))
    for (let seed = 1; seed <= 200; seed++) expect(await collect(decodeSse(randomlySplit(text, seed, 3)))).toEqual(expected)
  })

  test('accepts CRLF line endings and flushes a pending event at EOF', async () => {
    const events = await collect(decodeSse(randomlySplit('data: a\r\n\r\ndata: b', 5, 2)))
    expect(events).toEqual([{ data: 'a' }, { data: 'b' }])
  })

  test('sseFrame writes one event', () => {
    expect(sseFrame('{}')).toBe('data: {}\n\n')
    expect(sseFrame('{}', 'ping')).toBe('event: ping\ndata: {}\n\n')
  })
})
