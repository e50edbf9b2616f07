// Readers of the native request bodies, one set per wire shape: OpenAI Chat Completions
// (openai-custom, Qwen), Anthropic Messages, Gemini generateContent (inside the Code Assist
// envelope) and Kiro's conversationState.
import type { Image, ToolCall } from './ask.ts'
import { asArray, asRecord, asString, findKey, imageFromUrl, parseJsonText, type Body, type NativeReaders } from './upstream.ts'

const textOf = (content: unknown): string => {
  if (typeof content === 'string') return content
  return asArray(content)
    .map((part) => asString(asRecord(part).text) ?? '')
    .join('')
}

export const openaiReaders: NativeReaders = {
  system: (body) =>
    asArray(body.messages)
      .map(asRecord)
      .filter((message) => message.role === 'system' || message.role === 'developer')
      .map((message) => textOf(message.content)),
  turns: (body) =>
    asArray(body.messages)
      .map(asRecord)
      .filter((message) => message.role === 'user' || message.role === 'assistant')
      .map((message) => ({ role: message.role as 'user' | 'assistant', text: textOf(message.content) })),
  tools: (body) =>
    asArray(body.tools).map((tool) => {
      const fn = asRecord(asRecord(tool).function)
      return {
        name: asString(fn.name) ?? '',
        ...(fn.description === undefined ? {} : { description: asString(fn.description) ?? '' }),
        parameters: asRecord(fn.parameters),
      }
    }),
  toolCalls: (body) =>
    asArray(body.messages)
      .map(asRecord)
      .filter((message) => message.role === 'assistant')
      .flatMap((message) => asArray(message.tool_calls).map(asRecord))
      .map((call): ToolCall => {
        const fn = asRecord(call.function)
        return { id: asString(call.id) ?? '', name: asString(fn.name) ?? '', args: asRecord(parseJsonText(fn.arguments)) }
      }),
  toolResults: (body) =>
    asArray(body.messages)
      .map(asRecord)
      .filter((message) => message.role === 'tool')
      .map((message) => ({ id: asString(message.tool_call_id) ?? '', result: parseJsonText(textOf(message.content)) })),
  params: (body) => ({
    ...(typeof body.temperature === 'number' ? { temperature: body.temperature } : {}),
    ...(typeof body.top_p === 'number' ? { topP: body.top_p } : {}),
    ...(typeof body.top_k === 'number' ? { topK: body.top_k } : {}),
    ...(body.stop === undefined ? {} : { stop: typeof body.stop === 'string' ? [body.stop] : (body.stop as string[]) }),
    ...(typeof (body.max_tokens ?? body.max_completion_tokens) === 'number' ? { maxTokens: (body.max_tokens ?? body.max_completion_tokens) as number } : {}),
  }),
  images: (body) =>
    asArray(body.messages)
      .flatMap((message) => asArray(asRecord(message).content))
      .map(asRecord)
      .filter((part) => part.type === 'image_url')
      .map((part) => imageFromUrl(asString(asRecord(part.image_url).url) ?? '')),
  toolChoice: (body) => {
    if (typeof body.tool_choice === 'string') return body.tool_choice
    const name = asString(asRecord(asRecord(body.tool_choice).function).name)
    return name === undefined ? undefined : `tool:${name}`
  },
  parallelToolCalls: (body) => (typeof body.parallel_tool_calls === 'boolean' ? body.parallel_tool_calls : undefined),
  jsonMode: (body) => (asRecord(body.response_format).type === 'json_object' ? 'json_object' : undefined),
  thinking: (body) => (typeof body.reasoning_effort === 'string' ? { effort: body.reasoning_effort } : undefined),
}

const blocksOf = (content: unknown): Body[] => (typeof content === 'string' ? [{ type: 'text', text: content }] : asArray(content).map(asRecord))

export const anthropicReaders: NativeReaders = {
  system: (body) => (body.system === undefined ? [] : blocksOf(body.system).map((block) => asString(block.text) ?? '')),
  turns: (body) =>
    asArray(body.messages)
      .map(asRecord)
      .map((message) => ({
        role: message.role as 'user' | 'assistant',
        text: blocksOf(message.content)
          .filter((block) => block.type === 'text')
          .map((block) => asString(block.text) ?? '')
          .join(''),
      })),
  tools: (body) =>
    asArray(body.tools)
      .map(asRecord)
      .map((tool) => ({
        name: asString(tool.name) ?? '',
        ...(tool.description === undefined ? {} : { description: asString(tool.description) ?? '' }),
        parameters: asRecord(tool.input_schema),
      })),
  toolCalls: (body) =>
    asArray(body.messages)
      .map(asRecord)
      .filter((message) => message.role === 'assistant')
      .flatMap((message) => blocksOf(message.content))
      .filter((block) => block.type === 'tool_use')
      .map((block) => ({ id: asString(block.id) ?? '', name: asString(block.name) ?? '', args: asRecord(block.input) })),
  toolResults: (body) =>
    asArray(body.messages)
      .map(asRecord)
      .filter((message) => message.role === 'user')
      .flatMap((message) => blocksOf(message.content))
      .filter((block) => block.type === 'tool_result')
      .map((block) => ({ id: asString(block.tool_use_id) ?? '', result: parseJsonText(textOf(block.content)) })),
  params: (body) => ({
    ...(typeof body.temperature === 'number' ? { temperature: body.temperature } : {}),
    ...(typeof body.top_p === 'number' ? { topP: body.top_p } : {}),
    ...(typeof body.top_k === 'number' ? { topK: body.top_k } : {}),
    ...(body.stop_sequences === undefined ? {} : { stop: body.stop_sequences as string[] }),
    ...(typeof body.max_tokens === 'number' ? { maxTokens: body.max_tokens } : {}),
  }),
  images: (body) =>
    asArray(body.messages)
      .flatMap((message) => blocksOf(asRecord(message).content))
      .filter((block) => block.type === 'image')
      .map((block): Image => {
        const source = asRecord(block.source)
        return source.type === 'base64'
          ? { mediaType: asString(source.media_type) ?? '', data: asString(source.data) ?? '' }
          : { url: asString(source.url) ?? '' }
      }),
  toolChoice: (body) => {
    const choice = asRecord(body.tool_choice)
    if (choice.type === 'tool') return `tool:${asString(choice.name) ?? ''}`
    return choice.type === 'any' ? 'required' : asString(choice.type)
  },
  parallelToolCalls: (body) => (asRecord(body.tool_choice).disable_parallel_tool_use === true ? false : undefined),
  // Anthropic has no response_format: the request asks in the system prompt.
  jsonMode: (body) => (anthropicReaders.system(body).some((text) => text.includes('JSON')) ? 'instruction' : undefined),
  thinking: (body) => {
    const thinking = asRecord(body.thinking)
    return thinking.type === 'enabled' && typeof thinking.budget_tokens === 'number' ? { budget: thinking.budget_tokens } : undefined
  },
}

const partsOf = (body: Body, role?: string): Body[] =>
  asArray(body.contents)
    .map(asRecord)
    .filter((content) => role === undefined || content.role === role)
    .flatMap((content) => asArray(content.parts).map(asRecord))

/** Readers of the inner GenerateContentRequest (`request` of the Code Assist envelope). */
export const geminiReaders: NativeReaders = {
  system: (body) =>
    asArray(asRecord(body.systemInstruction).parts)
      .map(asRecord)
      .map((part) => asString(part.text) ?? ''),
  turns: (body) =>
    asArray(body.contents)
      .map(asRecord)
      .map((content) => ({
        role: content.role === 'model' ? ('assistant' as const) : ('user' as const),
        text: asArray(content.parts)
          .map((part) => asString(asRecord(part).text) ?? '')
          .join(''),
      })),
  tools: (body) =>
    asArray(body.tools)
      .flatMap((tool) => asArray(asRecord(tool).functionDeclarations))
      .map(asRecord)
      .map((fn) => ({
        name: asString(fn.name) ?? '',
        ...(fn.description === undefined ? {} : { description: asString(fn.description) ?? '' }),
        parameters: asRecord(fn.parameters ?? fn.parametersJsonSchema),
      })),
  toolCalls: (body) =>
    partsOf(body, 'model')
      .filter((part) => part.functionCall !== undefined)
      .map((part) => {
        const call = asRecord(part.functionCall)
        return { id: asString(call.id) ?? '', name: asString(call.name) ?? '', args: asRecord(call.args) }
      }),
  toolResults: (body) =>
    partsOf(body, 'user')
      .filter((part) => part.functionResponse !== undefined)
      .map((part) => {
        const response = asRecord(part.functionResponse)
        return { ...(response.id === undefined ? {} : { id: asString(response.id) ?? '' }), name: asString(response.name) ?? '', result: response.response }
      }),
  params: (body) => {
    const config = asRecord(body.generationConfig)
    return {
      ...(typeof config.temperature === 'number' ? { temperature: config.temperature } : {}),
      ...(typeof config.topP === 'number' ? { topP: config.topP } : {}),
      ...(typeof config.topK === 'number' ? { topK: config.topK } : {}),
      ...(config.stopSequences === undefined ? {} : { stop: config.stopSequences as string[] }),
      ...(typeof config.maxOutputTokens === 'number' ? { maxTokens: config.maxOutputTokens } : {}),
    }
  },
  images: (body) =>
    partsOf(body).flatMap((part): Image[] => {
      if (part.inlineData !== undefined) {
        const inline = asRecord(part.inlineData)
        return [{ mediaType: asString(inline.mimeType) ?? '', data: asString(inline.data) ?? '' }]
      }
      if (part.fileData !== undefined) return [{ url: asString(asRecord(part.fileData).fileUri) ?? '' }]
      return []
    }),
  toolChoice: (body) => {
    const config = asRecord(asRecord(body.toolConfig).functionCallingConfig)
    const allowed = asArray(config.allowedFunctionNames)
    if (config.mode === 'ANY') return allowed.length === 1 ? `tool:${asString(allowed[0]) ?? ''}` : 'required'
    return typeof config.mode === 'string' ? config.mode.toLowerCase() : undefined
  },
  // Gemini has no switch for parallel calls (and rejects unknown fields): any such key is a leak.
  parallelToolCalls: (body) => leakedParallelSwitch(body),
  jsonMode: (body) => (asRecord(body.generationConfig).responseMimeType === 'application/json' ? 'json_object' : undefined),
  thinking: (body) => {
    const config = asRecord(asRecord(body.generationConfig).thinkingConfig)
    return typeof config.thinkingBudget === 'number' ? { budget: config.thinkingBudget } : undefined
  },
}

/** A parallel-calls switch found anywhere in a body whose wire has none. */
function leakedParallelSwitch(body: Body): boolean | undefined {
  for (const key of ['parallel_tool_calls', 'parallelToolCalls', 'disable_parallel_tool_use']) {
    const value = findKey(body, key)
    if (typeof value === 'boolean') return key === 'disable_parallel_tool_use' ? !value : value
  }
  return undefined
}

const kiroState = (body: Body) => asRecord(body.conversationState)
const kiroCurrent = (body: Body) => asRecord(asRecord(kiroState(body).currentMessage).userInputMessage)
const kiroHistory = (body: Body) => asArray(kiroState(body).history).map(asRecord)
const kiroUserMessages = (body: Body) => [
  ...kiroHistory(body).flatMap((item) => (item.userInputMessage === undefined ? [] : [asRecord(item.userInputMessage)])),
  kiroCurrent(body),
]

export const kiroReaders: NativeReaders = {
  // Kiro has no system field: the text rides on the first user message, before a blank line.
  system: (body) => {
    const first = asString(kiroUserMessages(body)[0]?.content) ?? ''
    const end = first.lastIndexOf('\n\n')
    return end === -1 ? [] : [first.slice(0, end)]
  },
  // The first user text without the system prefix the `system` reader returns.
  turns: (body) => {
    const turns = [
      ...kiroHistory(body).map((item) =>
        item.userInputMessage !== undefined
          ? { role: 'user' as const, text: asString(asRecord(item.userInputMessage).content) ?? '' }
          : { role: 'assistant' as const, text: asString(asRecord(item.assistantResponseMessage).content) ?? '' },
      ),
      { role: 'user' as const, text: asString(kiroCurrent(body).content) ?? '' },
    ]
    const first = turns[0]
    const end = first?.text.lastIndexOf('\n\n') ?? -1
    if (first && end !== -1) first.text = first.text.slice(end + 2)
    return turns
  },
  tools: (body) =>
    asArray(asRecord(kiroCurrent(body).userInputMessageContext).tools)
      .map((tool) => asRecord(asRecord(tool).toolSpecification))
      .map((spec) => ({
        name: asString(spec.name) ?? '',
        description: asString(spec.description) ?? '',
        parameters: asRecord(asRecord(spec.inputSchema).json),
      })),
  toolCalls: (body) =>
    kiroHistory(body)
      .flatMap((item) => asArray(asRecord(item.assistantResponseMessage).toolUses))
      .map(asRecord)
      .map((use) => ({ id: asString(use.toolUseId) ?? '', name: asString(use.name) ?? '', args: asRecord(use.input) })),
  toolResults: (body) =>
    asArray(asRecord(kiroCurrent(body).userInputMessageContext).toolResults)
      .map(asRecord)
      .map((result) => ({ id: asString(result.toolUseId) ?? '', result: parseJsonText(asString(asRecord(asArray(result.content)[0]).text)) })),
  // Kiro's wire has none of these fields; reading them anywhere in the body proves they are absent.
  params: (body) => {
    const found: Record<string, unknown> = {}
    for (const key of ['temperature', 'topP', 'top_p', 'topK', 'top_k', 'stop', 'stopSequences', 'maxTokens', 'max_tokens']) {
      const value = findKey(body, key)
      if (value !== undefined) found[key] = value
    }
    return found
  },
  images: (body) =>
    kiroUserMessages(body)
      .flatMap((message) => asArray(message.images))
      .map(asRecord)
      .map((image) => ({ mediaType: `image/${asString(image.format) ?? ''}`, data: asString(asRecord(image.source).bytes) ?? '' })),
  // Kiro has no tool choice, no parallel-calls switch and no JSON mode: any such key is a leak,
  // and a JSON instruction would show in the first user message.
  toolChoice: (body) => {
    const leaked = findKey(body, 'tool_choice') ?? findKey(body, 'toolChoice')
    return leaked === undefined ? undefined : JSON.stringify(leaked)
  },
  parallelToolCalls: (body) => leakedParallelSwitch(body),
  jsonMode: (body) => (/\bJSON\b/.test(asString(kiroUserMessages(body)[0]?.content) ?? '') ? 'instruction' : undefined),
  // Reasoning is asked for in tags in front of the first user message.
  thinking: (body) => {
    const first = asString(kiroUserMessages(body)[0]?.content) ?? ''
    const budget = /<max_thinking_length>(\d+)<\/max_thinking_length>/.exec(first)?.[1]
    const effort = /<thinking_effort>(\w+)<\/thinking_effort>/.exec(first)?.[1]
    if (budget !== undefined) return { budget: Number(budget) }
    return effort === undefined ? undefined : { effort }
  },
}

const inputItems = (body: Body): Body[] => (typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : asArray(body.input).map(asRecord))
const isMessage = (item: Body) => item.type === undefined || item.type === 'message'

/** The Responses API: `instructions` plus input items (messages, function_call, function_call_output). */
export const responsesReaders: NativeReaders = {
  system: (body) => [
    ...(typeof body.instructions === 'string' ? [body.instructions] : []),
    ...inputItems(body)
      .filter((item) => isMessage(item) && (item.role === 'system' || item.role === 'developer'))
      .map((item) => textOf(item.content)),
  ],
  turns: (body) => {
    const turns: Array<{ role: 'user' | 'assistant'; text: string }> = []
    let previous: Body | undefined
    for (const item of inputItems(body)) {
      if (isMessage(item) && (item.role === 'user' || item.role === 'assistant')) turns.push({ role: item.role, text: textOf(item.content) })
      // Calls without an assistant message before them are a tool-only assistant turn.
      else if (item.type === 'function_call' && !(previous && (previous.type === 'function_call' || (isMessage(previous) && previous.role === 'assistant'))))
        turns.push({ role: 'assistant', text: '' })
      previous = item
    }
    return turns
  },
  tools: (body) =>
    asArray(body.tools)
      .map(asRecord)
      .map((tool) => ({
        name: asString(tool.name) ?? '',
        ...(tool.description === undefined ? {} : { description: asString(tool.description) ?? '' }),
        parameters: asRecord(tool.parameters),
      })),
  toolCalls: (body) =>
    inputItems(body)
      .filter((item) => item.type === 'function_call')
      .map((item) => ({ id: asString(item.call_id) ?? '', name: asString(item.name) ?? '', args: asRecord(parseJsonText(item.arguments)) })),
  toolResults: (body) =>
    inputItems(body)
      .filter((item) => item.type === 'function_call_output')
      .map((item) => ({ id: asString(item.call_id) ?? '', result: parseJsonText(textOf(item.output)) })),
  params: (body) => ({
    ...(typeof body.temperature === 'number' ? { temperature: body.temperature } : {}),
    ...(typeof body.top_p === 'number' ? { topP: body.top_p } : {}),
    ...(typeof body.max_output_tokens === 'number' ? { maxTokens: body.max_output_tokens } : {}),
  }),
  images: (body) =>
    inputItems(body)
      .flatMap((item) => (isMessage(item) ? asArray(item.content) : []))
      .map(asRecord)
      .filter((part) => part.type === 'input_image')
      .map((part) => imageFromUrl(asString(part.image_url) ?? '')),
  toolChoice: (body) => {
    if (typeof body.tool_choice === 'string') return body.tool_choice
    const name = asString(asRecord(body.tool_choice).name)
    return name === undefined ? undefined : `tool:${name}`
  },
  parallelToolCalls: (body) => (typeof body.parallel_tool_calls === 'boolean' ? body.parallel_tool_calls : undefined),
  jsonMode: (body) => (asRecord(asRecord(body.text).format).type === 'json_object' ? 'json_object' : undefined),
  thinking: (body) => {
    const effort = asString(asRecord(body.reasoning).effort)
    return effort === undefined ? undefined : { effort }
  },
}
