import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { testCodec } from './fixture-files.ts'

const decode = (body: unknown) => testCodec().decodeResponse(body)
const completion = (message: Record<string, unknown>, finish_reason: unknown = 'stop', extra: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason }],
  ...extra,
})

describe('decodeResponse', () => {
  test.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['function_call', 'tool_calls'],
    ['content_filter', 'content_filter'],
    ['eos', 'stop'],
    [null, 'stop'],
  ])('finish_reason %p becomes %s', (wire, canonical) => {
    expect(decode(completion({ content: 'x' }, wire)).finishReason).toBe(canonical as never)
  })

  test('tool calls with finish_reason stop (some compatible servers) still finish as tool_calls', () => {
    const body = completion({ content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] }, 'stop')
    expect(decode(body).finishReason).toBe('tool_calls')
  })

  test('a missing usage reads as zero tokens; cached and reasoning tokens are carried', () => {
    expect(decode(completion({ content: 'x' })).usage).toEqual({ inputTokens: 0, outputTokens: 0 })
    const usage = {
      prompt_tokens: 10,
      completion_tokens: 4,
      total_tokens: 14,
      prompt_tokens_details: { cached_tokens: 6 },
      completion_tokens_details: { reasoning_tokens: 3 },
    }
    expect(decode(completion({ content: 'x' }, 'stop', { usage })).usage).toEqual({
      inputTokens: 10,
      outputTokens: 4,
      cachedInputTokens: 6,
      reasoningTokens: 3,
    })
  })

  test('a refusal with no content becomes the answer text', () => {
    expect(decode(completion({ content: null, refusal: 'I can’t help with that.' })).parts).toEqual([{ type: 'text', text: 'I can’t help with that.' }])
  })

  test('`reasoning` (another compatible-server spelling) is read as thinking', () => {
    expect(decode(completion({ content: 'a', reasoning: 'r' })).parts).toEqual([
      { type: 'thinking', text: 'r' },
      { type: 'text', text: 'a' },
    ])
  })

  test('a matched stop string reported by vLLM becomes the stop sequence', () => {
    const body = {
      ...completion({ content: 'x' }),
      choices: [{ index: 0, message: { role: 'assistant', content: 'x' }, finish_reason: 'stop', stop_reason: 'END' }],
    }
    expect(decode(body).stopSequence).toBe('END')
  })

  test('missing ids are generated', () => {
    const response = decode({ choices: [{ message: { content: null, tool_calls: [{ type: 'function', function: { name: 'f', arguments: '' } }] } }] })
    expect(response.id).toStartWith('chatcmpl-gen')
    expect(response.parts).toEqual([{ type: 'tool_call', id: expect.stringMatching(/^call_gen\d+$/), name: 'f', arguments: {} }])
  })

  test.each([
    ['a string', 'hello', 'not a JSON object'],
    ['no choices', { id: 'x', choices: [] }, 'has no choices'],
    ['a choice without message', { choices: [{ index: 0, delta: {} }] }, 'has no choices[0].message'],
    [
      'a tool call without a name',
      completion({ tool_calls: [{ id: 'c', function: { arguments: '{}' } }] }),
      'has no choices[0].message.tool_calls[0].function.name',
    ],
    ['tool arguments that are not JSON', completion({ tool_calls: [{ id: 'c', function: { name: 'f', arguments: '{"a":' } }] }), 'is not valid JSON'],
  ])('garbage (%s) is a 502 bad_gateway', (_name, body, message) => {
    let error: unknown
    try {
      decode(body)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(GatewayError)
    expect(error).toMatchObject({ status: 502, kind: 'bad_gateway', scope: 'member' })
    expect((error as GatewayError).message).toContain(message)
  })

  test('an error object sent with status 200 becomes that error', () => {
    expect(() => decode({ error: { message: 'overloaded', code: 503 } })).toThrow('overloaded')
    try {
      decode({ error: { message: 'overloaded', code: 503 } })
    } catch (error) {
      expect(error).toMatchObject({ status: 503, scope: 'member' })
    }
  })
})
