// TypeBox schemas of the Anthropic client requests: a loose first gate for the routes and
// the OpenAPI document. Field-level checks with precise messages happen in request-decode.
import { type Static, Type as t } from '@sinclair/typebox'

const ContentBlock = t.Object(
  { type: t.String({ description: 'text, image, tool_use, tool_result, thinking or redacted_thinking' }) },
  { additionalProperties: true },
)

const Message = t.Object(
  {
    // Plain strings: request-decode answers a wrong role with a more helpful message.
    role: t.String({ description: 'user, assistant, or system (a system instruction mid-conversation)' }),
    content: t.Union([t.String(), t.Array(ContentBlock)], { description: 'A string or an array of content blocks' }),
  },
  { additionalProperties: true },
)

const SystemPrompt = t.Union([t.String(), t.Array(ContentBlock)], { description: 'A string or an array of text blocks' })

export const AnthropicMessagesRequest = t.Object(
  {
    model: t.String({ minLength: 1 }),
    messages: t.Array(Message),
    max_tokens: t.Optional(t.Integer({ minimum: 1, description: 'Defaults to 8192 when omitted (raised above the thinking budget when thinking is on)' })),
    system: t.Optional(SystemPrompt),
    stream: t.Optional(t.Boolean()),
    temperature: t.Optional(t.Number()),
    top_p: t.Optional(t.Number()),
    top_k: t.Optional(t.Integer()),
    stop_sequences: t.Optional(t.Array(t.String())),
    tools: t.Optional(
      t.Array(t.Object({ name: t.String(), input_schema: t.Optional(t.Object({}, { additionalProperties: true })) }, { additionalProperties: true })),
    ),
    tool_choice: t.Optional(t.Object({ type: t.String({ description: 'auto, any, tool or none' }) }, { additionalProperties: true })),
    thinking: t.Optional(t.Object({ type: t.String({ description: 'enabled (with budget_tokens) or disabled' }) }, { additionalProperties: true })),
    metadata: t.Optional(t.Object({ user_id: t.Optional(t.String()) }, { additionalProperties: true })),
  },
  {
    additionalProperties: true,
    description: 'Anthropic Messages API request',
    examples: [
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        system: 'You are a concise assistant.',
        messages: [{ role: 'user', content: 'Hello, Claude' }],
      },
    ],
  },
)
export type AnthropicMessagesRequest = Static<typeof AnthropicMessagesRequest>

export const AnthropicCountTokensRequest = t.Object(
  {
    model: t.String({ minLength: 1 }),
    messages: t.Array(Message),
    system: t.Optional(SystemPrompt),
    tools: t.Optional(t.Array(t.Object({ name: t.String() }, { additionalProperties: true }))),
  },
  {
    additionalProperties: true,
    description: 'Anthropic count_tokens request',
    examples: [{ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hello, Claude' }] }],
  },
)
export type AnthropicCountTokensRequest = Static<typeof AnthropicCountTokensRequest>
