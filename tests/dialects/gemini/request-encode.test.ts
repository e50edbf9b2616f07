import { describe, expect, test } from 'bun:test'
import type { ChatRequest, Message } from '../../../src/chat/types.ts'
import { geminiCodec } from '../../../src/dialects/gemini/index.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'

const base = (messages: Message[], extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'gemini-2.5-flash',
  system: [],
  messages,
  stream: false,
  ...extra,
})
const say = (role: Message['role'], text: string): Message => ({ role, parts: [{ type: 'text', text }] })
const encode = (request: ChatRequest) => geminiCodec.encodeRequest(request)

function encodeError(request: ChatRequest): GatewayError {
  try {
    encode(request)
  } catch (error) {
    if (error instanceof GatewayError) return error
    throw error
  }
  throw new Error('expected a GatewayError')
}

describe('gemini encodeRequest', () => {
  test('sends only the fields the request has: no injected defaults, temperature 0 kept', () => {
    expect(encode(base([say('user', 'hi')]))).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] })
    expect(encode(base([say('user', 'hi')], { temperature: 0, maxTokens: 0 })).generationConfig).toEqual({ temperature: 0, maxOutputTokens: 0 })
  })

  test('merges consecutive turns of one role and puts the system prompt in systemInstruction', () => {
    const body = encode(base([say('user', 'a'), say('user', 'b'), say('assistant', 'c'), say('assistant', 'd')], { system: [{ type: 'text', text: 'sys' }] }))
    expect(body).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
        { role: 'model', parts: [{ text: 'c' }, { text: 'd' }] },
      ],
      systemInstruction: { parts: [{ text: 'sys' }] },
    })
  })

  test('tool results without a name take it from the earlier call; all results of a step share one user turn', () => {
    const body = encode(
      base([
        say('user', 'go'),
        {
          role: 'assistant',
          parts: [
            { type: 'tool_call', id: 'toolu_1', name: 'read', arguments: { path: 'a' } },
            { type: 'tool_call', id: 'toolu_2', name: 'list', arguments: {} },
          ],
        },
        { role: 'user', parts: [{ type: 'tool_result', toolCallId: 'toolu_1', content: [{ type: 'text', text: 'plain text' }] }] },
        { role: 'user', parts: [{ type: 'tool_result', toolCallId: 'toolu_2', content: [{ type: 'text', text: '{"files":["x"]}' }] }] },
      ]),
    )
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'go' }] },
      {
        role: 'model',
        parts: [{ functionCall: { id: 'toolu_1', name: 'read', args: { path: 'a' } } }, { functionCall: { id: 'toolu_2', name: 'list', args: {} } }],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { id: 'toolu_1', name: 'read', response: { content: 'plain text' } } },
          { functionResponse: { id: 'toolu_2', name: 'list', response: { files: ['x'] } } },
        ],
      },
    ])
  })

  test('an error result that is not JSON goes back as {error}; images in results become inlineData parts', () => {
    const body = encode(
      base([
        { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'shot', arguments: {} }] },
        {
          role: 'user',
          parts: [
            {
              type: 'tool_result',
              toolCallId: 'c1',
              content: [
                { type: 'text', text: 'camera offline' },
                { type: 'image', mediaType: 'image/png', data: 'iVBO' },
              ],
              isError: true,
            },
          ],
        },
      ]),
    )
    expect((body.contents as unknown[])[1]).toEqual({
      role: 'user',
      parts: [{ functionResponse: { id: 'c1', name: 'shot', response: { error: 'camera offline' } } }, { inlineData: { mimeType: 'image/png', data: 'iVBO' } }],
    })
  })

  test('a tool result whose tool name cannot be found is a 400', () => {
    const error = encodeError(base([{ role: 'user', parts: [{ type: 'tool_result', toolCallId: 'ghost', content: [{ type: 'text', text: 'x' }] }] }]))
    expect(error.status).toBe(400)
    expect(error.message).toContain('"ghost" has no tool name')
  })

  test('http image URLs are refused; data URLs go inline; gs:// URIs go as fileData', () => {
    const withUrl = (url: string, mediaType?: string) =>
      base([{ role: 'user', parts: [mediaType === undefined ? { type: 'image_url', url } : { type: 'image_url', url, mediaType }] }])
    const error = encodeError(withUrl('https://example.com/cat.png'))
    expect(error.status).toBe(400)
    expect(error.message).toContain('image URLs are not supported by Gemini providers; send the image as base64 data')
    expect((encode(withUrl('data:image/webp;base64,UklGR')).contents as unknown[])[0]).toEqual({
      role: 'user',
      parts: [{ inlineData: { mimeType: 'image/webp', data: 'UklGR' } }],
    })
    expect((encode(withUrl('gs://bucket/cat.JPG')).contents as unknown[])[0]).toEqual({
      role: 'user',
      parts: [{ fileData: { mimeType: 'image/jpeg', fileUri: 'gs://bucket/cat.JPG' } }],
    })
    expect(encodeError(withUrl('gs://bucket/blob')).message).toContain('media type')
  })

  test('thinking without a signature is dropped from history; signed thinking and signatures on calls go back', () => {
    const body = encode(
      base([
        say('user', 'q'),
        {
          role: 'assistant',
          parts: [
            { type: 'thinking', text: 'unsigned musing' },
            { type: 'redacted_thinking', data: 'opaque' },
            { type: 'thinking', text: 'signed', signature: 'S1' },
            { type: 'thinking', text: '', signature: 'S2' },
            { type: 'tool_call', id: 'c', name: 'f', arguments: { a: 1 } },
            { type: 'thinking', text: '', signature: 'S3' },
          ],
        },
      ]),
    )
    expect((body.contents as unknown[])[1]).toEqual({
      role: 'model',
      parts: [
        { text: 'signed', thought: true, thoughtSignature: 'S1' },
        { functionCall: { id: 'c', name: 'f', args: { a: 1 } }, thoughtSignature: 'S2' },
        { text: '', thoughtSignature: 'S3' },
      ],
    })
  })

  test('a turn left empty after dropping is left out, and no turns at all is a 400', () => {
    const body = encode(base([say('user', 'a'), { role: 'assistant', parts: [{ type: 'thinking', text: 'x' }] }, say('user', 'b')]))
    expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'a' }, { text: 'b' }] }])
    expect(encodeError(base([])).status).toBe(400)
  })

  test('tools become one functionDeclarations entry with cleaned parameters; parameterless tools send none', () => {
    const body = encode(
      base([say('user', 'x')], {
        tools: [
          { name: 'now', description: 'current time', parameters: { type: 'object', properties: {}, additionalProperties: false } },
          {
            name: 'search',
            parameters: {
              $schema: 'https://json-schema.org/draft/2020-12/schema',
              type: 'object',
              properties: { q: { type: 'string', default: '' } },
              required: ['q'],
            },
          },
        ],
        toolChoice: { type: 'tool', name: 'search' },
      }),
    )
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'now', description: 'current time' },
          { name: 'search', parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } },
        ],
      },
    ])
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['search'] } })
  })

  test('tool choices map to functionCallingConfig modes', () => {
    const mode = (toolChoice: ChatRequest['toolChoice']) =>
      encode(base([say('user', 'x')], { tools: [{ name: 'f', parameters: { type: 'object' } }], toolChoice })).toolConfig
    expect(mode({ type: 'auto' })).toEqual({ functionCallingConfig: { mode: 'AUTO' } })
    expect(mode({ type: 'none' })).toEqual({ functionCallingConfig: { mode: 'NONE' } })
    expect(mode({ type: 'required' })).toEqual({ functionCallingConfig: { mode: 'ANY' } })
    expect(mode(undefined)).toBeUndefined()
  })

  test('response formats become responseMimeType and a cleaned responseSchema', () => {
    const config = (responseFormat: ChatRequest['responseFormat']) => encode(base([say('user', 'x')], { responseFormat })).generationConfig
    expect(config({ type: 'text' })).toBeUndefined()
    expect(config({ type: 'json_object' })).toEqual({ responseMimeType: 'application/json' })
    expect(
      config({ type: 'json_schema', name: 'out', schema: { type: 'object', properties: { n: { type: ['integer', 'null'] } }, additionalProperties: false } }),
    ).toEqual({
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { n: { type: 'integer', nullable: true } } },
    })
  })

  test('thinking maps to thinkingConfig budgets', () => {
    const config = (thinking: ChatRequest['thinking'], model = 'gemini-2.5-flash') => encode(base([say('user', 'x')], { thinking, model })).generationConfig
    expect(config({ enabled: true, budgetTokens: 5000 })).toEqual({ thinkingConfig: { thinkingBudget: 5000, includeThoughts: true } })
    expect(config({ enabled: true, effort: 'low' })).toEqual({ thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } })
    expect(config({ enabled: true, effort: 'medium' })).toEqual({ thinkingConfig: { thinkingBudget: 8192, includeThoughts: true } })
    expect(config({ enabled: true, effort: 'high' })).toEqual({ thinkingConfig: { thinkingBudget: 24576, includeThoughts: true } })
    expect(config({ enabled: true })).toEqual({ thinkingConfig: { includeThoughts: true } })
    expect(config({ enabled: false })).toEqual({ thinkingConfig: { thinkingBudget: 0 } })
    expect(config({ enabled: true, budgetTokens: 64000 })).toEqual({ thinkingConfig: { thinkingBudget: 24576, includeThoughts: true } })
    expect(config({ enabled: true, budgetTokens: 64000 }, 'gemini-2.5-pro')).toEqual({ thinkingConfig: { thinkingBudget: 32768, includeThoughts: true } })
    expect(config({ enabled: false }, 'gemini-2.5-pro')).toBeUndefined()
  })

  test('never mutates the canonical request', () => {
    const request = base(
      [say('user', 'a'), say('user', 'b'), { role: 'assistant', parts: [{ type: 'tool_call', id: 'c', name: 'f', arguments: { deep: { x: 1 } } }] }],
      {
        tools: [{ name: 'f', parameters: { type: 'object', properties: { a: { $ref: '#/$defs/A' } }, $defs: { A: { type: 'string', const: 'k' } } } }],
        stop: ['s'],
      },
    )
    const before = structuredClone(request)
    encode(request)
    expect(request).toEqual(before)
  })
})

describe('canonical → gemini → canonical round trips', () => {
  const table: Array<{ name: string; request: ChatRequest; expected?: ChatRequest }> = [
    { name: 'temperature 0 and top-k', request: base([say('user', 'x')], { temperature: 0, topK: 1, topP: 0 }) },
    { name: 'stop sequences with newlines and unicode', request: base([say('user', 'x')], { stop: ['\n\nHuman:', '终', '🛑'] }) },
    { name: 'seed and penalties', request: base([say('user', 'x')], { seed: 42, presencePenalty: 0, frequencyPenalty: 1.5, maxTokens: 100 }) },
    {
      name: 'emoji, CJK, RTL and combining characters',
      request: base([say('user', '👩‍👩‍👧 家族 مرحبا é'), say('assistant', '🙂 はい'), say('user', '𝕏 ǅ')], { system: [{ type: 'text', text: 'システム 🧭' }] }),
    },
    {
      name: 'tool call ids and names across turns',
      request: base(
        [
          say('user', 'go'),
          {
            role: 'assistant',
            parts: [
              { type: 'text', text: 'calling' },
              { type: 'tool_call', id: 'call_abc', name: 'lookup', arguments: { q: 'ü' } },
              { type: 'tool_call', id: 'toolu_01X', name: 'lookup', arguments: { q: 'b' } },
            ],
          },
          {
            role: 'user',
            parts: [
              { type: 'tool_result', toolCallId: 'toolu_01X', content: [{ type: 'text', text: '{"hits":0}' }] },
              { type: 'tool_result', toolCallId: 'call_abc', name: 'lookup', content: [{ type: 'text', text: '{"hits":1}' }] },
            ],
          },
          { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_abc2', name: 'fetch', arguments: {} }] },
          { role: 'user', parts: [{ type: 'tool_result', toolCallId: 'call_abc2', content: [{ type: 'text', text: '{"ok":true}' }] }] },
        ],
        {
          tools: [{ name: 'lookup', description: 'find', parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } }],
          toolChoice: { type: 'auto' },
        },
      ),
      expected: base(
        [
          say('user', 'go'),
          {
            role: 'assistant',
            parts: [
              { type: 'text', text: 'calling' },
              { type: 'tool_call', id: 'call_abc', name: 'lookup', arguments: { q: 'ü' } },
              { type: 'tool_call', id: 'toolu_01X', name: 'lookup', arguments: { q: 'b' } },
            ],
          },
          {
            role: 'user',
            parts: [
              { type: 'tool_result', toolCallId: 'toolu_01X', name: 'lookup', content: [{ type: 'text', text: '{"hits":0}' }] },
              { type: 'tool_result', toolCallId: 'call_abc', name: 'lookup', content: [{ type: 'text', text: '{"hits":1}' }] },
            ],
          },
          { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_abc2', name: 'fetch', arguments: {} }] },
          { role: 'user', parts: [{ type: 'tool_result', toolCallId: 'call_abc2', name: 'fetch', content: [{ type: 'text', text: '{"ok":true}' }] }] },
        ],
        {
          tools: [{ name: 'lookup', description: 'find', parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } }],
          toolChoice: { type: 'auto' },
        },
      ),
    },
    {
      name: 'signed thinking and a signature on a call',
      request: base([
        say('user', 'q'),
        {
          role: 'assistant',
          parts: [
            { type: 'thinking', text: 'plan', signature: 'sig-1' },
            { type: 'tool_call', id: 'c', name: 'f', arguments: {}, signature: 'sig-2' },
          ],
        },
      ]),
    },
    {
      name: 'an inline image',
      request: base([
        {
          role: 'user',
          parts: [
            { type: 'text', text: 'see' },
            { type: 'image', mediaType: 'image/gif', data: 'R0lGOD' },
          ],
        },
      ]),
    },
    {
      name: 'json object output and thinking budget',
      request: base([say('user', 'x')], { responseFormat: { type: 'json_object' }, thinking: { enabled: true, budgetTokens: 3000 } }),
    },
    { name: 'thinking off', request: base([say('user', 'x')], { thinking: { enabled: false } }) },
    {
      name: 'required tool choice',
      request: base([say('user', 'x')], {
        tools: [{ name: 'f', parameters: { type: 'object', properties: { a: { type: 'number' } } } }],
        toolChoice: { type: 'required' },
      }),
    },
  ]
  for (const { name, request, expected } of table) {
    test(name, () => {
      const wire = JSON.parse(JSON.stringify(geminiCodec.encodeRequest(request)))
      expect(geminiCodec.decodeRequest(wire, { model: request.model, stream: request.stream })).toEqual(expected ?? request)
    })
  }
})
