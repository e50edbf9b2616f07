// The OpenAI Chat Completions request as a TypeBox schema, for route validation and the
// OpenAPI document. Deliberately loose: it checks the frame (model, non-empty messages with
// roles, scalar types) and documents the fields; decodeOpenAIRequest checks the details
// with messages that name the exact field. Unknown fields pass (compatible servers' extensions).
import { Type as t, type Static, type TSchema } from '@sinclair/typebox'

/** Clients commonly send `null` for "not set". */
const optionalNullable = <T extends TSchema>(schema: T) => t.Optional(t.Union([schema, t.Null()]))

const Message = t.Object(
  {
    role: t.String({ description: 'system, developer, user, assistant or tool', examples: ['user'] }),
    content: t.Optional(
      t.Unknown({
        description:
          'A string, or an array of parts: {type:"text",text} or {type:"image_url",image_url:{url}} (http(s) or data: URL). May be null for an assistant message with tool_calls.',
      }),
    ),
    tool_calls: t.Optional(t.Unknown({ description: 'Assistant only: [{id,type:"function",function:{name,arguments}}], arguments a JSON string.' })),
    tool_call_id: t.Optional(t.String({ description: 'Tool messages only: the id of the call this message answers.' })),
    reasoning_content: optionalNullable(t.String({ description: 'Assistant only: thinking text from an earlier turn (extension).' })),
    name: optionalNullable(t.String({ description: 'Participant name (not forwarded to other dialects).' })),
  },
  { additionalProperties: true },
)

export const OpenAIChatRequest = t.Object(
  {
    model: t.String({ description: 'Model to use, as the selected provider names it.', examples: ['gpt-4o-mini'] }),
    messages: t.Array(Message, { minItems: 1, description: 'The conversation so far, oldest first.' }),
    stream: optionalNullable(t.Boolean({ description: 'Answer as server-sent events ending in `data: [DONE]`.' })),
    stream_options: optionalNullable(
      t.Object({ include_usage: t.Optional(t.Boolean({ description: 'Send a final `choices: []` chunk with usage.' })) }, { additionalProperties: true }),
    ),
    tools: optionalNullable(
      t.Array(
        t.Object(
          {
            type: t.String({ description: 'Only "function" is supported.' }),
            function: t.Object(
              {
                name: t.String(),
                description: optionalNullable(t.String()),
                parameters: t.Optional(t.Record(t.String(), t.Unknown(), { description: 'JSON Schema of the arguments.' })),
              },
              { additionalProperties: true },
            ),
          },
          { additionalProperties: true },
        ),
        { description: 'Functions the model may call.' },
      ),
    ),
    tool_choice: optionalNullable(t.Unknown({ description: '"none", "auto", "required" or {"type":"function","function":{"name":…}}.' })),
    parallel_tool_calls: optionalNullable(t.Boolean({ description: 'Allow several tool calls in one answer.' })),
    max_tokens: optionalNullable(t.Integer({ minimum: 1, description: 'Legacy name of max_completion_tokens.' })),
    max_completion_tokens: optionalNullable(t.Integer({ minimum: 1, description: 'Upper bound of generated tokens.' })),
    temperature: optionalNullable(t.Number({ description: 'Sampling temperature; 0 is kept as 0.' })),
    top_p: optionalNullable(t.Number({ description: 'Nucleus sampling.' })),
    stop: optionalNullable(t.Union([t.String(), t.Array(t.String())], { description: 'Stop sequence(s).' })),
    seed: optionalNullable(t.Integer({ description: 'Best-effort deterministic sampling.' })),
    presence_penalty: optionalNullable(t.Number()),
    frequency_penalty: optionalNullable(t.Number()),
    n: optionalNullable(t.Integer({ minimum: 1, description: 'Only 1 is supported.' })),
    response_format: optionalNullable(
      t.Object(
        { type: t.String({ description: 'text, json_object or json_schema (with json_schema:{name,schema,strict}).' }) },
        { additionalProperties: true },
      ),
    ),
    reasoning_effort: optionalNullable(t.String({ description: 'none, minimal, low, medium, high or xhigh; enables thinking on providers that have it.' })),
    user: optionalNullable(t.String({ description: 'End-user identifier, forwarded where the provider has one.' })),
  },
  {
    additionalProperties: true,
    description: 'OpenAI Chat Completions request.',
    examples: [
      {
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'Say hello.' },
        ],
        temperature: 0,
        stream: false,
      },
    ],
  },
)

export type OpenAIChatRequestBody = Static<typeof OpenAIChatRequest>
