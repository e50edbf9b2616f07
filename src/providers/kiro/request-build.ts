// Canonical ChatRequest → generateAssistantResponse body, following the shape rules Kiro
// enforces with 400s (docs/protocols.md#kiro-request-shape): turns alternate user/assistant, history starts
// with a user item and ends with an assistant item, the current message is a user message
// with non-empty content, the system prompt rides on the first user message, tools only on
// the current message, no JSON nulls.
import { jsonInstruction } from '../../chat/json-instruction.ts'
import { systemMessagesAsUserText } from '../../chat/system-messages.ts'
import type { ChatRequest, Message } from '../../chat/types.ts'
import { kiroImage, kiroTool, kiroToolResult, kiroToolUse, PLACEHOLDER_TOOL, thinkingPrefix, withoutNulls } from './request-parts.ts'
import type { KiroHistoryItem, KiroImage, KiroRequestBody, KiroTool, KiroToolResult, KiroToolUse, KiroUserInputMessage } from './request-types.ts'
import { ToolNameMap } from './tool-names.ts'

export interface BuildContext {
  /** The Kiro model id (already mapped). */
  modelId: string
  /** Fresh per request: no server-side conversation state is relied on. */
  conversationId: string
  /** Sent for social logins. */
  profileArn?: string
}

export interface BuiltKiroRequest {
  body: KiroRequestBody
  /** Maps shortened tool names in the answer back to the client's. */
  toolNames: ToolNameMap
}

/** Current-message content when the user turn carries no text. */
export const TOOL_RESULTS_CONTENT = 'Tool results provided.'
export const CONTINUE_CONTENT = 'Continue'

type UserTurn = { role: 'user'; content: string; images: KiroImage[]; toolResults: KiroToolResult[] }
type AssistantTurn = { role: 'assistant'; content: string; toolUses: KiroToolUse[] }

const emptyUserTurn = (): UserTurn => ({ role: 'user', content: '', images: [], toolResults: [] })

export function buildKiroRequest(request: ChatRequest, context: BuildContext): BuiltKiroRequest {
  const toolNames = new ToolNameMap()
  // Kiro has no system field at all: mid-conversation system text joins the user turn there.
  const turns = groupByRole(systemMessagesAsUserText(request.messages)).map((group) =>
    group[0]?.role === 'assistant' ? assistantTurn(group, toolNames) : userTurn(group),
  )

  // The current message must be a user turn; a trailing assistant turn moves into history.
  if (turns.at(-1)?.role !== 'user') turns.push(emptyUserTurn())
  if (turns[0]?.role !== 'user') turns.unshift(emptyUserTurn())
  const first = turns[0] as UserTurn
  const system = [thinkingPrefix(request.thinking), request.system.map((part) => part.text).join('\n'), jsonInstruction(request.responseFormat) ?? '']
    .filter((text) => text !== '')
    .join('\n')
  if (system) first.content = first.content ? `${system}\n\n${first.content}` : system

  const current = turns.pop() as UserTurn
  const usedTools = turns.some((turn) => (turn.role === 'assistant' ? turn.toolUses.length > 0 : turn.toolResults.length > 0)) || current.toolResults.length > 0
  const declared = request.toolChoice?.type === 'none' ? [] : (request.tools ?? []).map((tool) => kiroTool(tool, toolNames))
  const tools: KiroTool[] = declared.length > 0 ? declared : usedTools ? [PLACEHOLDER_TOOL] : []

  const history: KiroHistoryItem[] = turns.map((turn) =>
    turn.role === 'user'
      ? { userInputMessage: userInputMessage(turn, context.modelId, []) }
      : {
          assistantResponseMessage: {
            content: turn.content || (turn.toolUses.length > 0 ? '' : CONTINUE_CONTENT),
            ...(turn.toolUses.length > 0 ? { toolUses: turn.toolUses } : {}),
          },
        },
  )
  const body: KiroRequestBody = {
    conversationState: {
      agentTaskType: 'vibe',
      chatTriggerType: 'MANUAL',
      conversationId: context.conversationId,
      ...(history.length > 0 ? { history } : {}),
      currentMessage: { userInputMessage: userInputMessage(current, context.modelId, tools) },
    },
    ...(context.profileArn ? { profileArn: context.profileArn } : {}),
  }
  return { body: withoutNulls(body), toolNames }
}

/** Consecutive messages of one role form one turn (Kiro requires strict alternation). */
function groupByRole(messages: Message[]): Message[][] {
  const groups: Message[][] = []
  for (const message of messages) {
    const last = groups.at(-1)
    if (last && last[0]?.role === message.role) last.push(message)
    else groups.push([message])
  }
  return groups
}

/** Text parts of one message joined by a newline, messages of one turn by a blank line. */
const joinTexts = (perMessage: string[][]) =>
  perMessage
    .map((texts) => texts.join('\n'))
    .filter((text) => text !== '')
    .join('\n\n')

function userTurn(messages: Message[]): UserTurn {
  const images: KiroImage[] = []
  const results = new Map<string, KiroToolResult>()
  const texts = messages.map((message) =>
    message.parts.flatMap((part) => {
      switch (part.type) {
        case 'text':
          return [part.text]
        case 'image':
        case 'image_url':
          images.push(kiroImage(part))
          return []
        case 'tool_result': {
          const { result, images: resultImages } = kiroToolResult(part)
          // Kiro rejects two results for one toolUseId; the first one stands.
          if (!results.has(result.toolUseId)) results.set(result.toolUseId, result)
          images.push(...resultImages)
          return []
        }
        default:
          // Tool calls and thinking belong to assistant turns; a user turn cannot carry them.
          return []
      }
    }),
  )
  return { role: 'user', content: joinTexts(texts), images, toolResults: [...results.values()] }
}

function assistantTurn(messages: Message[], toolNames: ToolNameMap): AssistantTurn {
  const toolUses: KiroToolUse[] = []
  const texts = messages.map((message) =>
    message.parts.flatMap((part) => {
      switch (part.type) {
        case 'text':
          return [part.text]
        case 'thinking':
          // Past thinking goes back the way Kiro produced it: tagged, inside the text.
          return part.text ? [`<thinking>${part.text}</thinking>`] : []
        case 'tool_call':
          toolUses.push(kiroToolUse(part, toolNames))
          return []
        default:
          // Redacted thinking has no Kiro form; images and results are user content.
          return []
      }
    }),
  )
  return { role: 'assistant', content: joinTexts(texts), toolUses }
}

function userInputMessage(turn: UserTurn, modelId: string, tools: KiroTool[]): KiroUserInputMessage {
  const content = turn.content || (turn.toolResults.length > 0 ? TOOL_RESULTS_CONTENT : CONTINUE_CONTENT)
  const context = {
    ...(turn.toolResults.length > 0 ? { toolResults: turn.toolResults } : {}),
    ...(tools.length > 0 ? { tools } : {}),
  }
  return {
    content,
    modelId,
    origin: 'AI_EDITOR',
    ...(turn.images.length > 0 ? { images: turn.images } : {}),
    ...(Object.keys(context).length > 0 ? { userInputMessageContext: context } : {}),
  }
}
