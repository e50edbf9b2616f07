// The generateAssistantResponse body (docs/protocols.md#kiro-request-shape), as sent.
import type { JsonSchema } from '../../chat/types.ts'

export interface KiroImage {
  format: 'png' | 'jpeg' | 'gif' | 'webp'
  source: { bytes: string }
}

export interface KiroToolResult {
  toolUseId: string
  status: 'success' | 'error'
  content: Array<{ text: string }>
}

export interface KiroTool {
  toolSpecification: { name: string; description: string; inputSchema: { json: JsonSchema } }
}

export interface KiroToolUse {
  toolUseId: string
  name: string
  input: Record<string, unknown>
}

export interface KiroUserInputMessage {
  content: string
  modelId: string
  origin: 'AI_EDITOR'
  images?: KiroImage[]
  userInputMessageContext?: { toolResults?: KiroToolResult[]; tools?: KiroTool[] }
}

export interface KiroAssistantResponseMessage {
  content: string
  toolUses?: KiroToolUse[]
}

export type KiroHistoryItem = { userInputMessage: KiroUserInputMessage } | { assistantResponseMessage: KiroAssistantResponseMessage }

export interface KiroRequestBody {
  conversationState: {
    agentTaskType: 'vibe'
    chatTriggerType: 'MANUAL'
    conversationId: string
    history?: KiroHistoryItem[]
    currentMessage: { userInputMessage: KiroUserInputMessage }
  }
  profileArn?: string
}
