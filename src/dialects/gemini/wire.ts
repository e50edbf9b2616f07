// The Gemini generateContent wire shapes this codec writes (the plain API shapes, without
// the Code Assist envelope). Readers narrow `unknown` instead of trusting these types.

export interface GeminiFunctionCall {
  id?: string
  name: string
  args: Record<string, unknown>
}

export interface GeminiFunctionResponse {
  id?: string
  name: string
  response: Record<string, unknown>
}

export interface GeminiPart {
  text?: string
  thought?: boolean
  thoughtSignature?: string
  inlineData?: { mimeType: string; data: string }
  fileData?: { mimeType?: string; fileUri: string }
  functionCall?: GeminiFunctionCall
  functionResponse?: GeminiFunctionResponse
}

export interface GeminiContent {
  role: 'user' | 'model'
  parts: GeminiPart[]
}

export interface GeminiUsageMetadata {
  promptTokenCount: number
  candidatesTokenCount: number
  totalTokenCount: number
  thoughtsTokenCount?: number
  cachedContentTokenCount?: number
}

export type GeminiFinishReason = 'STOP' | 'MAX_TOKENS' | 'SAFETY'

export interface GeminiCandidate {
  content: GeminiContent
  finishReason?: GeminiFinishReason
  index: number
}

export interface GeminiResponse {
  candidates: GeminiCandidate[]
  usageMetadata?: GeminiUsageMetadata
  modelVersion: string
  responseId: string
}
