import { describe, expect, test } from 'bun:test'
import { Elysia } from 'elysia'
import { RouteDialects } from '../../src/http/route-dialects.ts'

const ok = () => 'ok'

function table(): RouteDialects {
  const dialects = new RouteDialects('openai')
  dialects.declare('openai', new Elysia().post('/v1/chat/completions', ok).post('/:provider/v1/chat/completions', ok))
  dialects.declare('anthropic', new Elysia().post('/v1/messages', ok).post('/:provider/v1/messages', ok))
  dialects.declare('gemini', new Elysia().post('/v1beta/models/:model', ok).post('/v1/models/:model', ok).get('/v1beta/models', ok))
  dialects.declare((headers) => (headers.has('anthropic-version') ? 'anthropic' : 'openai'), new Elysia().get('/v1/models', ok).get('/v1/models/:id', ok))
  return dialects
}

const none = new Headers()

describe('RouteDialects', () => {
  test('a served route speaks the dialect its group declared, under a provider segment too', () => {
    const dialects = table()
    expect(dialects.of('POST', '/v1/messages', none)).toBe('anthropic')
    expect(dialects.of('POST', '/claude-custom/v1/messages', none)).toBe('anthropic')
    expect(dialects.of('POST', '/v1/chat/completions', none)).toBe('openai')
    expect(dialects.of('POST', '/v1/models/gemini-2.5-flash:generateContent', none)).toBe('gemini')
  })

  test('the method decides between routes on the same path', () => {
    const dialects = table()
    expect(dialects.of('GET', '/v1/models/gpt-4o', none)).toBe('openai')
    expect(dialects.of('GET', '/v1/models/claude', new Headers({ 'anthropic-version': '2023-06-01' }))).toBe('anthropic')
    expect(dialects.of('POST', '/v1/models/x:generateContent', none)).toBe('gemini')
  })

  test('a known path with a method it does not serve keeps its dialect', () => {
    expect(table().of('GET', '/v1/messages', none)).toBe('anthropic')
  })

  test('an unknown route takes the dialect of the only group sharing its longest literal prefix', () => {
    const dialects = table()
    expect(dialects.of('POST', '/v1beta/files', none)).toBe('gemini')
    expect(dialects.of('POST', '/v1/messages/batches', none)).toBe('anthropic')
    expect(dialects.of('POST', '/claude-custom/v1/messages/batches', none)).toBe('anthropic')
  })

  test('an unknown route several dialects resemble equally, or none, falls back', () => {
    const dialects = table()
    expect(dialects.of('POST', '/v1/unknown', none)).toBe('openai')
    expect(dialects.of('GET', '/nothing/here', none)).toBe('openai')
    expect(dialects.of('GET', '/', none)).toBe('openai')
  })
})
