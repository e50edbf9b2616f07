// Qwen's OpenAI-shaped answers and errors, as the portal sends them.

export interface FakeReply {
  status: number
  body: string
  headers?: Record<string, string>
}

export const openaiError = (status: number, message: string, type: string, code: string | null, headers?: Record<string, string>): FakeReply => ({
  status,
  body: JSON.stringify({ error: { message, type, code }, request_id: 'fake-request-id' }),
  ...(headers === undefined ? {} : { headers }),
})

export const invalidToken = () => openaiError(401, 'Invalid access token or token expired', 'invalid_request_error', 'invalid_api_key')
export const freeQuotaExceeded = () => openaiError(403, 'Free allocated quota exceeded.', 'insufficient_quota', 'insufficient_quota')
export const quotaExceeded429 = () => openaiError(429, 'You exceeded your current quota.', 'quota_exceeded', 'quota_exceeded')
export const rateLimited = (retryAfterSeconds: number) =>
  openaiError(429, 'Requests rate limit exceeded, please try again later.', 'rate_limit_error', 'rate_limit_exceeded', {
    'retry-after': String(retryAfterSeconds),
  })
export const serverError = () => openaiError(500, 'The server had an error while processing your request.', 'server_error', 'internal_error')
export const modelNotFound = (model: string) =>
  openaiError(404, `The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found')

interface Message {
  role?: string
  content?: unknown
}

function lastUserText(messages: Message[]): string {
  const last = [...messages].reverse().find((message) => message.role === 'user')
  if (typeof last?.content === 'string') return last.content
  if (Array.isArray(last?.content)) return last.content.map((part: { text?: string }) => part.text ?? '').join('')
  return ''
}

/** The reply words (the last user text, echoed), cut to max_tokens. */
export function replyWords(body: Record<string, unknown>): { words: string[]; promptTokens: number; truncated: boolean } {
  const messages = (Array.isArray(body.messages) ? body.messages : []) as Message[]
  const text = lastUserText(messages)
  const all = ['echo:', ...text.split(/\s+/).filter((word) => word !== '')]
  const limit = typeof body.max_tokens === 'number' ? body.max_tokens : all.length
  const promptTokens = messages.reduce(
    (sum, message) => sum + (typeof message.content === 'string' ? message.content.split(/\s+/).filter(Boolean).length : 0),
    0,
  )
  return { words: all.slice(0, limit), promptTokens, truncated: limit < all.length }
}

export function completion(id: string, model: string, body: Record<string, unknown>) {
  const { words, promptTokens, truncated } = replyWords(body)
  return {
    id,
    object: 'chat.completion',
    created: 1_767_225_600,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: words.join(' ') }, finish_reason: truncated ? 'length' : 'stop' }],
    usage: { prompt_tokens: promptTokens, completion_tokens: words.length, total_tokens: promptTokens + words.length },
  }
}

/** Stream chunks: role, one word each, the finish chunk, a usage chunk when asked for. */
export function completionChunks(id: string, model: string, body: Record<string, unknown>): unknown[] {
  const { words, promptTokens, truncated } = replyWords(body)
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    id,
    object: 'chat.completion.chunk',
    created: 1_767_225_600,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  })
  const chunks: unknown[] = [chunk({ role: 'assistant', content: '' }, null)]
  for (const [index, word] of words.entries()) chunks.push(chunk({ content: index === 0 ? word : ` ${word}` }, null))
  chunks.push(chunk({}, truncated ? 'length' : 'stop'))
  const options = body.stream_options as { include_usage?: boolean } | undefined
  if (options?.include_usage === true) {
    chunks.push({
      id,
      object: 'chat.completion.chunk',
      created: 1_767_225_600,
      model,
      choices: [],
      usage: { prompt_tokens: promptTokens, completion_tokens: words.length, total_tokens: promptTokens + words.length },
    })
  }
  return chunks
}
