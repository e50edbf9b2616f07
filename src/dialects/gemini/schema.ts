// The client request body of `models/{model}:generateContent` and `:streamGenerateContent`,
// for route validation and the OpenAPI docs. Deliberately loose: the codec checks the
// details (with field paths) and unknown fields are tolerated, as Google does.
import { Type as t, type Static } from '@sinclair/typebox'

const loose = { additionalProperties: true } as const

const GeminiPart = t.Object({}, { ...loose, description: 'one of text, inlineData, fileData, functionCall, functionResponse' })

const GeminiContent = t.Object(
  {
    role: t.Optional(t.String({ description: '"user" (default) or "model"' })),
    parts: t.Array(GeminiPart),
  },
  loose,
)

export const GeminiGenerateContentRequest = t.Object(
  {
    contents: t.Array(GeminiContent, { description: 'the conversation, oldest first' }),
    systemInstruction: t.Optional(t.Object({ parts: t.Array(GeminiPart) }, loose)),
    tools: t.Optional(t.Array(t.Object({ functionDeclarations: t.Optional(t.Array(t.Object({ name: t.String() }, loose))) }, loose))),
    toolConfig: t.Optional(t.Object({}, loose)),
    generationConfig: t.Optional(t.Object({}, loose)),
  },
  {
    ...loose,
    description: 'Gemini GenerateContentRequest; the model comes from the URL',
    examples: [
      {
        systemInstruction: { parts: [{ text: 'Answer in one sentence.' }] },
        contents: [{ role: 'user', parts: [{ text: 'Why is the sky blue?' }] }],
        generationConfig: { temperature: 0.2, maxOutputTokens: 256 },
      },
    ],
  },
)

export type GeminiGenerateContentRequest = Static<typeof GeminiGenerateContentRequest>
