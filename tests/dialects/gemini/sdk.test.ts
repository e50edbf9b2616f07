// The official @google/genai SDK must parse what the codec writes, and send what it reads.
import { afterAll, beforeAll, describe, expect, spyOn, test } from 'bun:test'
import { FinishReason, GoogleGenAI, Type } from '@google/genai'
import type { ChatEvent, ChatRequest, ChatResponse } from '../../../src/chat/types.ts'
import { geminiCodec } from '../../../src/dialects/gemini/index.ts'

const ANSWER: ChatResponse = {
  id: 'resp-sdk-1',
  model: 'gemini-2.5-flash',
  parts: [
    { type: 'thinking', text: 'The user wants weather.' },
    { type: 'text', text: 'Checking Zürich 🌦️' },
    { type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Zürich', days: 2 } },
  ],
  finishReason: 'tool_calls',
  usage: { inputTokens: 17, outputTokens: 30, reasoningTokens: 12 },
}

const EVENTS: ChatEvent[] = [
  { type: 'start', id: 'resp-sdk-2', model: 'gemini-2.5-flash' },
  { type: 'thinking', text: 'Hmm.' },
  { type: 'text', text: '你好，' },
  { type: 'text', text: 'world 👋' },
  { type: 'tool_call_start', index: 0, id: 'call_9', name: 'lookup' },
  { type: 'tool_call_delta', index: 0, argumentsDelta: '{"q":' },
  { type: 'tool_call_delta', index: 0, argumentsDelta: '"雨"}' },
  { type: 'tool_call_end', index: 0 },
  { type: 'finish', reason: 'length', usage: { inputTokens: 9, outputTokens: 21, reasoningTokens: 4 } },
]

let server: ReturnType<typeof Bun.serve>
const received: ChatRequest[] = []

async function* replay(events: ChatEvent[]): AsyncGenerator<ChatEvent> {
  for (const event of events) yield event
}

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const url = new URL(request.url)
      const match = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/.exec(url.pathname)
      if (match?.[1] === undefined) return new Response(`not found: ${url.pathname}`, { status: 404 })
      const stream = match[2] === 'streamGenerateContent'
      received.push(geminiCodec.decodeRequest(await request.json(), { model: match[1], stream }))
      if (!stream) return Response.json(geminiCodec.encodeResponse(ANSWER))
      if (url.searchParams.get('alt') !== 'sse') return new Response('alt=sse expected', { status: 400 })
      const frames = geminiCodec.encodeStream(replay(EVENTS), { model: match[1], includeUsage: false })
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const encoder = new TextEncoder()
          for await (const frame of frames) controller.enqueue(encoder.encode(frame))
          controller.close()
        },
      })
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
    },
  })
})

afterAll(() => {
  server.stop(true)
})

// SDK 3.x defaults to /v1; the gateway's documented route is /v1beta.
const client = () => new GoogleGenAI({ apiKey: 'x', httpOptions: { baseUrl: `http://127.0.0.1:${server.port}`, apiVersion: 'v1beta' } })

describe('@google/genai against the gemini codec', () => {
  test('generateContent: text, thoughts, function call args, usage and finish reason', async () => {
    const response = await client().models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'What is the weather in Zürich?',
      config: {
        systemInstruction: 'Be brief.',
        temperature: 0,
        maxOutputTokens: 300,
        stopSequences: ['END'],
        thinkingConfig: { thinkingBudget: 512, includeThoughts: true },
        tools: [
          {
            functionDeclarations: [
              {
                name: 'get_weather',
                description: 'Weather',
                parameters: { type: Type.OBJECT, properties: { city: { type: Type.STRING } }, required: ['city'] },
              },
            ],
          },
        ],
      },
    })
    // The SDK warns that `.text` skips the functionCall part; that is the point here.
    const warn = spyOn(console, 'warn').mockImplementation(() => {})
    expect(response.text).toBe('Checking Zürich 🌦️')
    warn.mockRestore()
    expect(response.functionCalls).toEqual([{ id: 'call_1', name: 'get_weather', args: { city: 'Zürich', days: 2 } }])
    expect(response.candidates?.[0]?.finishReason).toBe(FinishReason.STOP)
    expect(response.candidates?.[0]?.content?.parts?.[0]).toEqual({ text: 'The user wants weather.', thought: true })
    expect(response.usageMetadata).toEqual({ promptTokenCount: 17, candidatesTokenCount: 18, totalTokenCount: 47, thoughtsTokenCount: 12 })
    expect(response.responseId).toBe('resp-sdk-1')
    expect(response.modelVersion).toBe('gemini-2.5-flash')

    const request = received.at(-1)
    expect(request).toMatchObject({
      model: 'gemini-2.5-flash',
      stream: false,
      system: [{ type: 'text', text: 'Be brief.' }],
      messages: [{ role: 'user', parts: [{ type: 'text', text: 'What is the weather in Zürich?' }] }],
      temperature: 0,
      maxTokens: 300,
      stop: ['END'],
      thinking: { enabled: true, budgetTokens: 512 },
      tools: [{ name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
    })
  })

  test('generateContentStream: deltas, a whole function call, and the final chunk with usage', async () => {
    const stream = await client().models.generateContentStream({ model: 'gemini-2.5-flash', contents: [{ role: 'user', parts: [{ text: 'hi' }] }] })
    let text = ''
    const calls: unknown[] = []
    let finishReason: string | undefined
    let usage: unknown
    let chunks = 0
    for await (const chunk of stream) {
      chunks++
      if (chunk.functionCalls === undefined) text += chunk.text ?? ''
      else calls.push(...chunk.functionCalls)
      finishReason = chunk.candidates?.[0]?.finishReason ?? finishReason
      usage = chunk.usageMetadata ?? usage
    }
    expect(chunks).toBe(5)
    expect(text).toBe('你好，world 👋')
    expect(calls).toEqual([{ id: 'call_9', name: 'lookup', args: { q: '雨' } }])
    expect(finishReason).toBe(FinishReason.MAX_TOKENS)
    expect(usage).toEqual({ promptTokenCount: 9, candidatesTokenCount: 17, totalTokenCount: 30, thoughtsTokenCount: 4 })
    expect(received.at(-1)).toMatchObject({ model: 'gemini-2.5-flash', stream: true })
  })
})
