import { expect, test } from 'bun:test'
import { geminiCodec } from '../../../src/dialects/gemini/index.ts'

test('the model list is in Gemini models.list shape, with limits only when known', () => {
  expect(
    geminiCodec.encodeModelList([
      { id: 'gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', inputTokenLimit: 1048576, outputTokenLimit: 65536 },
      { id: 'models/custom-model' },
    ]),
  ).toEqual({
    models: [
      {
        name: 'models/gemini-2.5-pro',
        version: '001',
        displayName: 'Gemini 2.5 Pro',
        inputTokenLimit: 1048576,
        outputTokenLimit: 65536,
        supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
      },
      {
        name: 'models/custom-model',
        version: '001',
        displayName: 'custom-model',
        supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
      },
    ],
  })
})
