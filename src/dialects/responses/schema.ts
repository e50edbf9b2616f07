// The Responses API request as a TypeBox schema, for route validation and the OpenAPI
// document. Loose like the other dialects' schemas: it checks the frame and documents the
// fields; decodeResponsesRequest checks the details with messages naming the exact field.
import { Type as t } from '@sinclair/typebox'

const optionalNullable = <T extends ReturnType<typeof t.String>>(schema: T) => t.Optional(t.Union([schema, t.Null()]))

export const ResponsesRequest = t.Object(
  {
    model: t.String({ description: 'Model to use, as the selected provider names it.', examples: ['gpt-4o-mini'] }),
    input: t.Union([t.String(), t.Array(t.Unknown(), { minItems: 1 })], {
      description:
        'A string, or items: {role, content} messages (content a string or input_text/input_image parts, images as data: or http(s) URLs), function_call and function_call_output items linked by call_id.',
    }),
    instructions: optionalNullable(
      t.String({ description: 'System instructions, placed before the conversation (not carried over by previous_response_id).' }),
    ),
    previous_response_id: optionalNullable(t.String({ description: 'Continue the conversation of a stored answer.' })),
    store: t.Optional(t.Union([t.Boolean({ description: 'Keep the answer for previous_response_id and GET /v1/responses/{id} (default true).' }), t.Null()])),
    stream: t.Optional(t.Union([t.Boolean({ description: 'Answer as server-sent events, response.created … response.completed.' }), t.Null()])),
    tools: t.Optional(
      t.Union([t.Array(t.Unknown(), { description: 'Function tools: {type:"function",name,description,parameters}. Built-in tools are left out.' }), t.Null()]),
    ),
    tool_choice: t.Optional(t.Unknown({ description: '"none", "auto", "required" or {type:"function",name}.' })),
    max_output_tokens: t.Optional(
      t.Union([t.Integer({ minimum: 1, description: 'Token limit; reaching it ends the answer with status "incomplete".' }), t.Null()]),
    ),
    temperature: t.Optional(t.Union([t.Number(), t.Null()])),
    top_p: t.Optional(t.Union([t.Number(), t.Null()])),
    reasoning: t.Optional(t.Unknown({ description: '{effort: none|minimal|low|medium|high|xhigh}; enables thinking on providers that have it.' })),
    text: t.Optional(t.Unknown({ description: '{format: {type: "text" | "json_object" | "json_schema", name, schema, strict}}.' })),
  },
  {
    additionalProperties: true,
    description: 'OpenAI Responses API request.',
    examples: [{ model: 'gpt-4o-mini', instructions: 'You are terse.', input: 'Say hello.', temperature: 0, stream: false }],
  },
)
