import { expect, test } from 'bun:test'
import { testCodec } from './fixture-files.ts'

test('the model list has the OpenAI list shape, with defaults for what the provider did not say', () => {
  expect(
    testCodec().encodeModelList([
      { id: 'gpt-4o', ownedBy: 'openai', createdAt: 1715367049 },
      { id: 'gemini-2.5-pro', displayName: 'Gemini 2.5 Pro' },
    ]),
  ).toEqual({
    object: 'list',
    data: [
      { id: 'gpt-4o', object: 'model', created: 1715367049, owned_by: 'openai' },
      { id: 'gemini-2.5-pro', object: 'model', created: 1_700_000_000, owned_by: 'switchboard' },
    ],
  })
})

test('an empty model list is an empty data array', () => {
  expect(testCodec().encodeModelList([])).toEqual({ object: 'list', data: [] })
})
