import { describe, expect, test } from 'bun:test'
import type { ChatRequest } from '../../../src/chat/types.ts'
import { geminiCodec } from '../../../src/dialects/gemini/index.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { fixtureNames, readJson } from './fixtures.ts'

interface RequestFixture {
  model: string
  wire: Record<string, unknown>
  canonical: ChatRequest
  reencoded?: Record<string, unknown>
}

const decode = (body: unknown, model = 'gemini-2.5-flash') => geminiCodec.decodeRequest(body, { model, stream: false })
const user = (text: string) => ({ role: 'user', parts: [{ text }] })

function decodeError(body: unknown): GatewayError {
  try {
    decode(body)
  } catch (error) {
    if (error instanceof GatewayError) return error
    throw error
  }
  throw new Error('expected a GatewayError')
}

describe('gemini golden requests', () => {
  for (const name of fixtureNames('requests', '.json')) {
    test(`${name}: decodes to the canonical request and encodes back to the wire body`, async () => {
      const fixture = await readJson<RequestFixture>('requests', `${name}.json`)
      const canonical = decode(fixture.wire, fixture.model)
      expect(canonical).toEqual(fixture.canonical)
      expect(geminiCodec.encodeRequest(canonical)).toEqual(fixture.reencoded ?? fixture.wire)
    })
  }
})

describe('gemini decodeRequest', () => {
  test('takes the model from the URL, without a models/ prefix, and the stream flag from the method', () => {
    const request = geminiCodec.decodeRequest({ contents: [user('hi')] }, { model: 'models/gemini-2.5-pro', stream: true })
    expect(request.model).toBe('gemini-2.5-pro')
    expect(request.stream).toBe(true)
  })

  test('a missing role means user, role function means user', () => {
    const request = decode({ contents: [{ parts: [{ text: 'a' }] }, { role: 'function', parts: [{ text: 'b' }] }] })
    expect(request.messages.map((message) => message.role)).toEqual(['user', 'user'])
  })

  test('accepts system_instruction and other snake_case field names', () => {
    const request = decode({
      system_instruction: { parts: [{ text: 'Be brief' }] },
      contents: [{ role: 'user', parts: [{ inline_data: { mime_type: 'image/jpeg', data: 'AAAA' } }] }],
      generation_config: { max_output_tokens: 10, stop_sequences: ['x'] },
      tools: [{ function_declarations: [{ name: 'f', parameters: { type: 'OBJECT', properties: { a: { type: 'NUMBER' } } } }] }],
      tool_config: { function_calling_config: { mode: 'NONE' } },
    })
    expect(request.system).toEqual([{ type: 'text', text: 'Be brief' }])
    expect(request.messages[0]?.parts).toEqual([{ type: 'image', mediaType: 'image/jpeg', data: 'AAAA' }])
    expect(request.maxTokens).toBe(10)
    expect(request.stop).toEqual(['x'])
    expect(request.tools).toEqual([{ name: 'f', parameters: { type: 'object', properties: { a: { type: 'number' } } } }])
    expect(request.toolChoice).toEqual({ type: 'none' })
  })

  test('temperature 0 stays 0 and absent fields stay absent', () => {
    const request = decode({ contents: [user('hi')], generationConfig: { temperature: 0 } })
    expect(request.temperature).toBe(0)
    for (const key of ['topP', 'topK', 'maxTokens', 'stop', 'seed', 'thinking', 'responseFormat', 'tools', 'toolChoice'] as const) {
      expect(request[key]).toBeUndefined()
    }
  })

  test('fileData becomes an image URL part', () => {
    const request = decode({ contents: [{ role: 'user', parts: [{ fileData: { mimeType: 'image/png', fileUri: 'gs://bucket/cat.png' } }] }] })
    expect(request.messages[0]?.parts).toEqual([{ type: 'image_url', url: 'gs://bucket/cat.png', mediaType: 'image/png' }])
  })

  test('a functionResponse answers the call with its own id, else the earliest unanswered call of that name', () => {
    const request = decode({
      contents: [
        user('go'),
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'search', args: { q: 'a' } } },
            { functionCall: { id: 'x-7', name: 'search', args: { q: 'b' } } },
            { functionCall: { name: 'search', args: { q: 'c' } } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { id: 'x-7', name: 'search', response: { hits: 2 } } },
            { functionResponse: { name: 'search', response: { hits: 1 } } },
            { functionResponse: { name: 'search', response: { hits: 3 } } },
          ],
        },
      ],
    })
    const calls = request.messages[1]?.parts.map((part) => (part.type === 'tool_call' ? part.id : ''))
    const answers = request.messages[2]?.parts.map((part) => (part.type === 'tool_result' ? part.toolCallId : ''))
    expect(calls).toEqual(['call_1', 'x-7', 'call_2'])
    expect(answers).toEqual(['x-7', 'call_1', 'call_2'])
  })

  test('generated call ids never collide with ids the client sent', () => {
    const request = decode({
      contents: [user('go'), { role: 'model', parts: [{ functionCall: { id: 'call_1', name: 'a' } }, { functionCall: { name: 'b' } }] }],
    })
    expect(request.messages[1]?.parts.map((part) => (part.type === 'tool_call' ? part.id : ''))).toEqual(['call_1', 'call_2'])
  })

  test('a functionResponse whose response is only an error is an error result', () => {
    const request = decode({
      contents: [
        user('go'),
        { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'f', response: { error: 'disk full' } } }] },
      ],
    })
    expect(request.messages[2]?.parts[0]).toEqual({
      type: 'tool_result',
      toolCallId: 'call_1',
      name: 'f',
      content: [{ type: 'text', text: '{"error":"disk full"}' }],
      isError: true,
    })
  })

  test('maps functionCallingConfig modes to tool choices', () => {
    const choice = (config: unknown) => decode({ contents: [user('x')], toolConfig: { functionCallingConfig: config } }).toolChoice
    expect(choice({ mode: 'AUTO' })).toEqual({ type: 'auto' })
    expect(choice({ mode: 'NONE' })).toEqual({ type: 'none' })
    expect(choice({ mode: 'ANY' })).toEqual({ type: 'required' })
    expect(choice({ mode: 'ANY', allowedFunctionNames: ['only_me'] })).toEqual({ type: 'tool', name: 'only_me' })
    expect(choice({ mode: 'VALIDATED' })).toEqual({ type: 'auto' })
    expect(choice({})).toBeUndefined()
  })

  test('maps response formats', () => {
    const format = (config: unknown) => decode({ contents: [user('x')], generationConfig: config }).responseFormat
    expect(format({ responseMimeType: 'application/json' })).toEqual({ type: 'json_object' })
    expect(format({ responseMimeType: 'text/plain' })).toBeUndefined()
    expect(
      format({ responseMimeType: 'application/json', responseSchema: { type: 'OBJECT', properties: { n: { type: 'INTEGER', nullable: true } } } }),
    ).toEqual({
      type: 'json_schema',
      schema: { type: 'object', properties: { n: { type: ['integer', 'null'] } } },
    })
    const jsonSchema = { type: 'object', properties: { a: { const: 1 } }, additionalProperties: false }
    expect(format({ responseMimeType: 'application/json', responseJsonSchema: jsonSchema })).toEqual({ type: 'json_schema', schema: jsonSchema })
  })

  test('maps thinkingConfig to thinking', () => {
    const thinking = (config: unknown) => decode({ contents: [user('x')], generationConfig: { thinkingConfig: config } }).thinking
    expect(thinking({ thinkingBudget: 0 })).toEqual({ enabled: false })
    expect(thinking({ thinkingBudget: 4096, includeThoughts: true })).toEqual({ enabled: true, budgetTokens: 4096 })
    expect(thinking({ thinkingBudget: -1 })).toEqual({ enabled: true })
    expect(thinking({ thinkingLevel: 'high' })).toEqual({ enabled: true, effort: 'high' })
    expect(thinking({ thinkingLevel: 'LOW', includeThoughts: true })).toEqual({ enabled: true, effort: 'low' })
    expect(thinking({ includeThoughts: true })).toEqual({ enabled: true })
    expect(thinking({ includeThoughts: false })).toBeUndefined()
  })

  test('a thought part without signature is thinking; empty text parts are skipped', () => {
    const request = decode({ contents: [user('x'), { role: 'model', parts: [{ text: 'hmm', thought: true }, { text: '' }, { text: 'ok' }] }] })
    expect(request.messages[1]?.parts).toEqual([
      { type: 'thinking', text: 'hmm' },
      { type: 'text', text: 'ok' },
    ])
  })
})

describe('gemini decodeRequest refuses bad shapes with a 400 naming the field', () => {
  const cases: Array<[string, unknown, string]> = [
    ['body not an object', [], 'body must be an object'],
    ['contents missing', {}, 'contents must be an array'],
    ['content not an object', { contents: ['hi'] }, 'contents[0] must be an object'],
    ['parts missing', { contents: [{ role: 'user' }] }, 'contents[0].parts must be an array'],
    ['unknown role', { contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] }, 'contents[0].role must be "user" or "model"'],
    ['text not a string', { contents: [{ parts: [{ text: 5 }] }] }, 'contents[0].parts[0].text must be a string'],
    ['empty part', { contents: [{ parts: [{}] }] }, 'contents[0].parts[0] must have one of text'],
    ['executable code', { contents: [{ parts: [{ executableCode: { code: '1' } }] }] }, 'contents[0].parts[0]: executableCode parts are not supported'],
    [
      'pdf inline data',
      { contents: [{ parts: [{ inlineData: { mimeType: 'application/pdf', data: 'AA' } }] }] },
      'contents[0].parts[0].inlineData.mimeType "application/pdf" is not supported',
    ],
    [
      'audio file data',
      { contents: [{ parts: [{ fileData: { mimeType: 'audio/wav', fileUri: 'gs://a/b.wav' } }] }] },
      'contents[0].parts[0].fileData.mimeType "audio/wav" is not supported',
    ],
    [
      'call without name',
      { contents: [{ role: 'model', parts: [{ functionCall: { args: {} } }] }] },
      'contents[0].parts[0].functionCall.name must be a string',
    ],
    [
      'call args not an object',
      { contents: [{ role: 'model', parts: [{ functionCall: { name: 'f', args: [1] } }] }] },
      'contents[0].parts[0].functionCall.args must be an object',
    ],
    [
      'call in a user turn',
      { contents: [{ role: 'user', parts: [{ functionCall: { name: 'f' } }] }] },
      'contents[0].parts[0].functionCall must be in a "model" turn',
    ],
    [
      'response in a model turn',
      { contents: [{ role: 'model', parts: [{ functionResponse: { name: 'f', response: {} } }] }] },
      'contents[0].parts[0].functionResponse must be in a "user" turn',
    ],
    [
      'response not an object',
      { contents: [{ parts: [{ functionResponse: { name: 'f', response: 'ok' } }] }] },
      'contents[0].parts[0].functionResponse.response must be an object',
    ],
    [
      'system with an image',
      { contents: [user('x')], systemInstruction: { parts: [{ inlineData: { mimeType: 'image/png', data: 'A' } }] } },
      'systemInstruction.parts[0] must be a text part',
    ],
    ['built-in tool', { contents: [user('x')], tools: [{ googleSearch: {} }] }, 'tools[0].googleSearch is not supported'],
    [
      'declaration without name',
      { contents: [user('x')], tools: [{ functionDeclarations: [{ description: 'd' }] }] },
      'tools[0].functionDeclarations[0].name must be a string',
    ],
    [
      'bad mode',
      { contents: [user('x')], toolConfig: { functionCallingConfig: { mode: 'SOMETIMES' } } },
      'toolConfig.functionCallingConfig.mode must be AUTO, ANY, NONE or VALIDATED',
    ],
    ['temperature as text', { contents: [user('x')], generationConfig: { temperature: 'hot' } }, 'generationConfig.temperature must be a number'],
    ['fractional max tokens', { contents: [user('x')], generationConfig: { maxOutputTokens: 1.5 } }, 'generationConfig.maxOutputTokens must be an integer'],
    ['stop sequence not text', { contents: [user('x')], generationConfig: { stopSequences: ['a', 2] } }, 'generationConfig.stopSequences[1] must be a string'],
    ['several candidates', { contents: [user('x')], generationConfig: { candidateCount: 2 } }, 'generationConfig.candidateCount above 1 is not supported'],
    [
      'enum mime type',
      { contents: [user('x')], generationConfig: { responseMimeType: 'text/x.enum' } },
      'generationConfig.responseMimeType "text/x.enum" is not supported',
    ],
    [
      'bad thinking level',
      { contents: [user('x')], generationConfig: { thinkingConfig: { thinkingLevel: 'extreme' } } },
      'generationConfig.thinkingConfig.thinkingLevel must be',
    ],
  ]
  for (const [name, body, message] of cases) {
    test(name, () => {
      const error = decodeError(body)
      expect(error.status).toBe(400)
      expect(error.kind).toBe('invalid_request')
      expect(error.scope).toBe('request')
      expect(error.message).toContain(message)
    })
  }

  test('a missing model is a 400', () => {
    expect(() => geminiCodec.decodeRequest({ contents: [user('x')] }, {})).toThrow('model is required')
  })
})
