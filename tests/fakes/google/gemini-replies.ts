// Deterministic Gemini answers in the Code Assist envelope: the reply echoes the last user
// text, streamed one word per event, usage numbers that add up.

const KNOWN_MODELS = new Set(['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite', 'gemini-3-pro-preview', 'gemini-3-flash-preview'])

export function isKnownModel(model: string): boolean {
  return KNOWN_MODELS.has(model)
}

interface Content {
  role?: string
  parts?: Array<{ text?: string }>
}

/** The words of the reply, cut to maxOutputTokens (one word = one token here). */
export function replyWords(request: Record<string, unknown>): { words: string[]; promptTokens: number; truncated: boolean } {
  const contents = (Array.isArray(request.contents) ? request.contents : []) as Content[]
  const lastUser = [...contents].reverse().find((content) => content.role !== 'model')
  const text = (lastUser?.parts ?? []).map((part) => part.text ?? '').join('')
  const all = ['echo:', ...text.split(/\s+/).filter((word) => word !== '')]
  const config = request.generationConfig as { maxOutputTokens?: number } | undefined
  const limit = config?.maxOutputTokens ?? all.length
  return { words: all.slice(0, limit), promptTokens: countWords(contents), truncated: limit < all.length }
}

export function countWords(contents: unknown): number {
  if (!Array.isArray(contents)) return 0
  let count = 0
  for (const content of contents as Content[]) {
    for (const part of content.parts ?? []) count += (part.text ?? '').split(/\s+/).filter((word) => word !== '').length
  }
  return count
}

export function envelope(
  model: string,
  traceId: string,
  parts: Array<{ text: string }>,
  final?: { finishReason: string; promptTokens: number; outputTokens: number },
) {
  const candidate: Record<string, unknown> = { content: { role: 'model', parts }, index: 0 }
  const response: Record<string, unknown> = { candidates: [candidate], modelVersion: model }
  if (final) {
    candidate.finishReason = final.finishReason
    response.usageMetadata = {
      promptTokenCount: final.promptTokens,
      candidatesTokenCount: final.outputTokens,
      totalTokenCount: final.promptTokens + final.outputTokens,
    }
  }
  return { response, traceId }
}

/** The whole answer as one envelope (generateContent). */
export function wholeReply(model: string, traceId: string, request: Record<string, unknown>) {
  const { words, promptTokens, truncated } = replyWords(request)
  return envelope(model, traceId, [{ text: words.join(' ') }], { finishReason: truncated ? 'MAX_TOKENS' : 'STOP', promptTokens, outputTokens: words.length })
}

/** The answer as stream events: one word each, the last with finishReason and usage. */
export function streamedReply(model: string, traceId: string, request: Record<string, unknown>) {
  const { words, promptTokens, truncated } = replyWords(request)
  return words.map((word, index) => {
    const text = index === 0 ? word : ` ${word}`
    const last = index === words.length - 1
    return envelope(
      model,
      traceId,
      [{ text }],
      last ? { finishReason: truncated ? 'MAX_TOKENS' : 'STOP', promptTokens, outputTokens: words.length } : undefined,
    )
  })
}
