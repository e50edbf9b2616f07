import { describe, expect, test } from 'bun:test'
import { encodeAnthropicModelList } from '../../../src/dialects/anthropic/models.ts'

describe('encodeAnthropicModelList', () => {
  test('lists models in the /v1/models shape with RFC 3339 dates', () => {
    expect(
      encodeAnthropicModelList([{ id: 'claude-sonnet-4-5-20250929', displayName: 'Claude Sonnet 4.5', createdAt: 1759104000 }, { id: 'gemini-2.5-pro' }]),
    ).toEqual({
      data: [
        { type: 'model', id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' },
        { type: 'model', id: 'gemini-2.5-pro', display_name: 'gemini-2.5-pro', created_at: '1970-01-01T00:00:00Z' },
      ],
      has_more: false,
      first_id: 'claude-sonnet-4-5-20250929',
      last_id: 'gemini-2.5-pro',
    })
  })

  test('an empty list has null first and last ids', () => {
    expect(encodeAnthropicModelList([])).toEqual({ data: [], has_more: false, first_id: null, last_id: null })
  })
})
