import { describe, expect, test } from 'bun:test'
import type { ChatRequest, Message, Part } from '../../../src/chat/types.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { contextWindowOf, KIRO_MODELS, kiroModelId } from '../../../src/providers/kiro/models.ts'
import { buildKiroRequest } from '../../../src/providers/kiro/request-build.ts'
import { MAX_TOOL_DESCRIPTION } from '../../../src/providers/kiro/request-parts.ts'
import { findNull, validateKiroBody } from '../../fakes/kiro/validate-request.ts'

const user = (...parts: Array<Part | string>): Message => ({
  role: 'user',
  parts: parts.map((part) => (typeof part === 'string' ? { type: 'text', text: part } : part)),
})
const assistant = (...parts: Array<Part | string>): Message => ({
  role: 'assistant',
  parts: parts.map((part) => (typeof part === 'string' ? { type: 'text', text: part } : part)),
})
const request = (messages: Message[], extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'claude-sonnet-4-5',
  system: [],
  messages,
  stream: true,
  ...extra,
})

function build(chat: ChatRequest, profileArn?: string) {
  const built = buildKiroRequest(chat, { modelId: 'claude-sonnet-4.5', conversationId: 'conv-1', ...(profileArn ? { profileArn } : {}) })
  // Every body the builder makes must pass the fake's strict Kiro rules.
  expect(validateKiroBody(built.body, { requireProfileArn: profileArn !== undefined })).toBeUndefined()
  return { ...built, state: built.body.conversationState }
}

const content = (item: unknown) => {
  const value = item as { userInputMessage?: { content: string }; assistantResponseMessage?: { content: string } }
  return value.userInputMessage?.content ?? value.assistantResponseMessage?.content
}

function buildError(chat: ChatRequest): GatewayError {
  try {
    buildKiroRequest(chat, { modelId: 'm', conversationId: 'c' })
  } catch (error) {
    if (error instanceof GatewayError) return error
    throw error
  }
  throw new Error('built without an error')
}

describe('buildKiroRequest: conversation shape', () => {
  test('one user message: no history, the fixed fields, a user current message', () => {
    const { body } = build(request([user('Hello')]))
    expect(body).toEqual({
      conversationState: {
        agentTaskType: 'vibe',
        chatTriggerType: 'MANUAL',
        conversationId: 'conv-1',
        currentMessage: { userInputMessage: { content: 'Hello', modelId: 'claude-sonnet-4.5', origin: 'AI_EDITOR' } },
      },
    })
  })

  test('the system prompt is prepended to the first user message, not the current one', () => {
    const { state } = build(
      request([user('first'), assistant('reply'), user('second')], {
        system: [
          { type: 'text', text: 'Be brief.' },
          { type: 'text', text: 'Be kind.' },
        ],
      }),
    )
    expect(content(state.history?.[0])).toBe('Be brief.\nBe kind.\n\nfirst')
    expect(state.currentMessage.userInputMessage.content).toBe('second')
  })

  test('with a single message the system prompt rides on the current message', () => {
    const { state } = build(request([user('hi')], { system: [{ type: 'text', text: 'SYS' }] }))
    expect(state.currentMessage.userInputMessage.content).toBe('SYS\n\nhi')
  })

  test('consecutive same-role messages merge; history alternates and ends with an assistant item', () => {
    const { state } = build(request([user('a'), user('b'), assistant('c'), assistant('d'), user('e')]))
    expect(state.history?.map(content)).toEqual(['a\n\nb', 'c\n\nd'])
    expect(Object.keys(state.history?.[1] ?? {})).toEqual(['assistantResponseMessage'])
    expect(state.currentMessage.userInputMessage.content).toBe('e')
  })

  test('a conversation ending with an assistant message moves it into history and continues', () => {
    const { state } = build(request([user('q'), assistant('partial answer')]))
    expect(state.history?.map(content)).toEqual(['q', 'partial answer'])
    expect(state.currentMessage.userInputMessage.content).toBe('Continue')
  })

  test('a conversation starting with an assistant message gets a user item first (carrying the system prompt)', () => {
    const { state } = build(request([assistant('greeting'), user('q')], { system: [{ type: 'text', text: 'SYS' }] }))
    expect(state.history?.map(content)).toEqual(['SYS', 'greeting'])
    const bare = build(request([assistant('greeting'), user('q')])).state
    expect(bare.history?.map(content)).toEqual(['Continue', 'greeting'])
  })

  test('no messages at all still give a non-empty current message', () => {
    expect(build(request([])).state.currentMessage.userInputMessage.content).toBe('Continue')
  })

  test('an assistant message without text or tool calls is sent as "Continue" (never empty)', () => {
    const { state } = build(request([user('q'), assistant(), user('r')]))
    expect(content(state.history?.[1])).toBe('Continue')
  })

  test('text parts of one message join with a newline', () => {
    expect(build(request([user('line 1', 'line 2')])).state.currentMessage.userInputMessage.content).toBe('line 1\nline 2')
  })

  test('the profileArn is sent at the top level when given', () => {
    expect(build(request([user('x')]), 'arn:aws:codewhisperer:us-east-1:1:profile/P').body.profileArn).toBe('arn:aws:codewhisperer:us-east-1:1:profile/P')
  })
})

describe('buildKiroRequest: tools', () => {
  const readTool = { name: 'Read', description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } }
  const call = (id: string, args: Record<string, unknown> = { path: 'a.txt' }, name = 'Read'): Part => ({ type: 'tool_call', id, name, arguments: args })
  const result = (id: string, text: string, isError = false): Part => ({
    type: 'tool_result',
    toolCallId: id,
    content: [{ type: 'text', text }],
    ...(isError ? { isError } : {}),
  })

  test('tool calls go into history toolUses, results into the current message with the fallback content', () => {
    const { state } = build(request([user('read it'), assistant('Reading.', call('tu_1')), user(result('tu_1', 'file body'))], { tools: [readTool] }))
    expect(state.history?.[1]).toEqual({
      assistantResponseMessage: { content: 'Reading.', toolUses: [{ toolUseId: 'tu_1', name: 'Read', input: { path: 'a.txt' } }] },
    })
    const current = state.currentMessage.userInputMessage
    expect(current.content).toBe('Tool results provided.')
    expect(current.userInputMessageContext?.toolResults).toEqual([{ toolUseId: 'tu_1', status: 'success', content: [{ text: 'file body' }] }])
    expect(current.userInputMessageContext?.tools).toEqual([
      { toolSpecification: { name: 'Read', description: 'Read a file', inputSchema: { json: readTool.parameters } } },
    ])
  })

  test('tools ride only on the current message; history user items keep their results', () => {
    const { state } = build(
      request([user('go'), assistant(call('tu_1')), user(result('tu_1', 'one')), assistant(call('tu_2')), user(result('tu_2', 'two'), 'and now?')], {
        tools: [readTool],
      }),
    )
    const historyUser = state.history?.[2] as { userInputMessage: { userInputMessageContext?: Record<string, unknown> } }
    expect(historyUser.userInputMessage.userInputMessageContext).toEqual({
      toolResults: [{ toolUseId: 'tu_1', status: 'success', content: [{ text: 'one' }] }],
    })
    expect(state.currentMessage.userInputMessage.content).toBe('and now?')
    expect(state.currentMessage.userInputMessage.userInputMessageContext?.tools).toHaveLength(1)
  })

  test('duplicate results for one toolUseId are sent once; errors keep status error', () => {
    const { state } = build(
      request([user('go'), assistant(call('tu_1'), call('tu_2')), user(result('tu_1', 'first'), result('tu_1', 'again'), result('tu_2', 'failed', true))], {
        tools: [readTool],
      }),
    )
    expect(state.currentMessage.userInputMessage.userInputMessageContext?.toolResults).toEqual([
      { toolUseId: 'tu_1', status: 'success', content: [{ text: 'first' }] },
      { toolUseId: 'tu_2', status: 'error', content: [{ text: 'failed' }] },
    ])
  })

  test('a tool name over 64 characters is shortened the same way in tools and tool uses, and mapped back', () => {
    const long = `mcp__${'x'.repeat(70)}`
    const { state, toolNames } = build(
      request([user('go'), assistant(call('tu_1', {}, long)), user(result('tu_1', 'ok'))], { tools: [{ ...readTool, name: long }] }),
    )
    const sent = state.currentMessage.userInputMessage.userInputMessageContext?.tools?.[0]?.toolSpecification.name ?? ''
    expect(sent).toHaveLength(64)
    expect(sent).toMatch(/^mcp__x{46}_[0-9a-f]{12}$/)
    expect((state.history![1] as { assistantResponseMessage: { toolUses: Array<{ name: string }> } }).assistantResponseMessage.toolUses[0]?.name).toBe(sent)
    expect(toolNames.fromKiro(sent)).toBe(long)
    expect(toolNames.fromKiro('Read')).toBe('Read')
  })

  test('descriptions are cut at 9216 characters; an empty one becomes the tool name; an empty schema becomes an object schema', () => {
    const { state } = build(
      request([user('x')], {
        tools: [
          { name: 'Long', description: 'd'.repeat(MAX_TOOL_DESCRIPTION + 100), parameters: { type: 'object' } },
          { name: 'Bare', parameters: {} },
        ],
      }),
    )
    const [long, bare] = state.currentMessage.userInputMessage.userInputMessageContext?.tools ?? []
    expect(long?.toolSpecification.description).toHaveLength(MAX_TOOL_DESCRIPTION)
    expect(bare?.toolSpecification).toEqual({ name: 'Bare', description: 'Bare', inputSchema: { json: { type: 'object', properties: {} } } })
  })

  test('a conversation that used tools but declares none gets the placeholder tool', () => {
    const { state } = build(request([user('go'), assistant(call('tu_1')), user(result('tu_1', 'ok'))]))
    expect(state.currentMessage.userInputMessage.userInputMessageContext?.tools?.map((tool) => tool.toolSpecification.name)).toEqual(['no_tool_available'])
  })

  test('tool_choice none sends no catalogue', () => {
    const { state } = build(request([user('x')], { tools: [readTool], toolChoice: { type: 'none' } }))
    expect(state.currentMessage.userInputMessage.userInputMessageContext).toBeUndefined()
  })

  test('JSON nulls and empty-string keys never reach the body', () => {
    const { body } = build(
      request([user('go'), assistant(call('tu_1', { path: null, '': 'x', nested: { keep: 1, drop: null }, list: [1, null] })), user(result('tu_1', 'ok'))], {
        tools: [{ name: 'Read', description: 'r', parameters: { type: 'object', properties: { path: { type: ['string', 'null'], default: null } } } }],
      }),
    )
    expect(findNull(body)).toBeUndefined()
    const input = (body.conversationState.history![1] as { assistantResponseMessage: { toolUses: Array<{ input: unknown }> } }).assistantResponseMessage
      .toolUses[0]?.input
    expect(input).toEqual({ nested: { keep: 1 }, list: [1] })
  })
})

describe('buildKiroRequest: images and thinking', () => {
  const png = { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' } as const

  test('base64 images become {format, source:{bytes}}', () => {
    const { state } = build(request([user('what is this?', png, { type: 'image', mediaType: 'image/jpeg', data: 'AAAA' })]))
    expect(state.currentMessage.userInputMessage.images).toEqual([
      { format: 'png', source: { bytes: 'iVBORw0KGgo=' } },
      { format: 'jpeg', source: { bytes: 'AAAA' } },
    ])
  })

  test('a data: URL is accepted as base64; a remote image URL is a 400 scope request', () => {
    const { state } = build(request([user('x', { type: 'image_url', url: 'data:image/webp;base64,UklG' })]))
    expect(state.currentMessage.userInputMessage.images).toEqual([{ format: 'webp', source: { bytes: 'UklG' } }])
    const error = buildError(request([user('x', { type: 'image_url', url: 'https://example.com/a.png' })]))
    expect([error.status, error.scope]).toEqual([400, 'request'])
    expect(error.message).toContain('Kiro accepts only base64 images')
  })

  test('an unsupported image type is a 400', () => {
    expect(buildError(request([user({ type: 'image', mediaType: 'image/bmp', data: 'Qk0=' })])).status).toBe(400)
  })

  test('images inside a tool result travel in the message images', () => {
    const { state } = build(
      request(
        [
          user('shot'),
          assistant({ type: 'tool_call', id: 'tu_1', name: 'Shot', arguments: {} }),
          user({ type: 'tool_result', toolCallId: 'tu_1', content: [{ type: 'text', text: 'here' }, png] }),
        ],
        {
          tools: [{ name: 'Shot', description: 's', parameters: { type: 'object' } }],
        },
      ),
    )
    expect(state.currentMessage.userInputMessage.images).toHaveLength(1)
    expect(state.currentMessage.userInputMessage.userInputMessageContext?.toolResults?.[0]?.content).toEqual([{ text: 'here' }])
  })

  test.each([
    [{ enabled: true, budgetTokens: 500 }, '<thinking_mode>enabled</thinking_mode><max_thinking_length>1024</max_thinking_length>'],
    [{ enabled: true, budgetTokens: 100_000 }, '<thinking_mode>enabled</thinking_mode><max_thinking_length>24576</max_thinking_length>'],
    [{ enabled: true }, '<thinking_mode>enabled</thinking_mode><max_thinking_length>20000</max_thinking_length>'],
    [{ enabled: true, effort: 'high' as const }, '<thinking_mode>adaptive</thinking_mode><thinking_effort>high</thinking_effort>'],
  ])('thinking %o prefixes the system text', (thinking, prefix) => {
    const { state } = build(request([user('q')], { thinking, system: [{ type: 'text', text: 'SYS' }] }))
    expect(state.currentMessage.userInputMessage.content).toBe(`${prefix}\nSYS\n\nq`)
  })

  test('disabled thinking adds nothing', () => {
    expect(build(request([user('q')], { thinking: { enabled: false } })).state.currentMessage.userInputMessage.content).toBe('q')
  })

  test('past thinking is re-sent as <thinking>…</thinking> in the assistant content; redacted thinking is dropped', () => {
    const { state } = build(
      request([user('q'), assistant({ type: 'thinking', text: 'pondering' }, { type: 'redacted_thinking', data: 'xx' }, 'answer'), user('more')]),
    )
    expect(content(state.history?.[1])).toBe('<thinking>pondering</thinking>\nanswer')
  })
})

describe('model ids', () => {
  test.each([
    ['claude-sonnet-4-5', 'claude-sonnet-4.5'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4.5'],
    ['claude-sonnet-4-6', 'claude-sonnet-4.6'],
    ['claude-haiku-4-5-20251001', 'claude-haiku-4.5'],
    ['claude-opus-4-5-20251101', 'claude-opus-4.5'],
    ['claude-opus-4-8', 'claude-opus-4.8'],
    ['claude-sonnet-4.5', 'claude-sonnet-4.5'],
    ['some-unknown-model', 'some-unknown-model'],
  ])('%s is sent as %s (unknown ids pass through unchanged)', (client, kiro) => {
    expect(kiroModelId(client)).toBe(kiro)
  })

  test('context windows: Opus 1M, the others 200k; the listed models are client ids', () => {
    expect(contextWindowOf('claude-opus-4-6')).toBe(1_000_000)
    expect(contextWindowOf('claude-haiku-4-5')).toBe(200_000)
    expect(KIRO_MODELS.map((model) => model.id)).toContain('claude-sonnet-4-5')
    expect(KIRO_MODELS.every((model) => !model.id.includes('.'))).toBe(true)
  })
})
