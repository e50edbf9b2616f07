import { describe, expect, test } from 'bun:test'
import { createKeyCheck, presentedKey } from '../../src/http/auth.ts'

describe('client auth', () => {
  const check = createKeyCheck('secret-key-1')
  const h = (init: Record<string, string>) => new Headers(init)

  test.each([
    ['Bearer', h({ authorization: 'Bearer secret-key-1' }), 'http://x/v1/models'],
    ['bearer, any case', h({ authorization: 'bearer secret-key-1' }), 'http://x/v1/models'],
    ['x-api-key', h({ 'x-api-key': 'secret-key-1' }), 'http://x/v1/messages'],
    ['x-goog-api-key', h({ 'x-goog-api-key': 'secret-key-1' }), 'http://x/v1beta/models'],
    ['?key=', h({}), 'http://x/v1beta/models?key=secret-key-1&alt=sse'],
  ])('accepts the key via %s', (_name, headers, url) => {
    expect(check(headers, url)).toBeUndefined()
  })

  test('rejects a wrong key and a missing key with 401', () => {
    expect(check(h({ authorization: 'Bearer nope' }), 'http://x/')?.status).toBe(401)
    expect(check(h({ 'x-api-key': 'secret-key-' }), 'http://x/')?.status).toBe(401)
    expect(check(h({}), 'http://x/')?.message).toContain('missing API key')
  })

  test('an empty or blank key cannot be configured', () => {
    expect(() => createKeyCheck('')).toThrow()
    expect(() => createKeyCheck('   ')).toThrow()
  })

  test('presentedKey prefers the Authorization header', () => {
    expect(presentedKey(h({ authorization: 'Bearer a', 'x-api-key': 'b' }), 'http://x/?key=c')).toBe('a')
  })
})
