import { describe, expect, test } from 'bun:test'
import { qwenChatBaseUrl } from '../../../src/providers/qwen/endpoint.ts'

const FALLBACK = 'https://portal.qwen.ai/v1'

describe('qwenChatBaseUrl (resource_url normalisation)', () => {
  const table: Array<[string | undefined, string]> = [
    ['portal.qwen.ai', 'https://portal.qwen.ai/v1'],
    ['portal.qwen.ai/', 'https://portal.qwen.ai/v1'],
    ['https://portal.qwen.ai', 'https://portal.qwen.ai/v1'],
    ['https://portal.qwen.ai/v1', 'https://portal.qwen.ai/v1'],
    ['https://portal.qwen.ai/v1/', 'https://portal.qwen.ai/v1'],
    ['http://127.0.0.1:8123', 'http://127.0.0.1:8123/v1'],
    ['HTTP://Example.com', 'HTTP://Example.com/v1'],
    ['dashscope.aliyuncs.com/compatible-mode', 'https://dashscope.aliyuncs.com/compatible-mode/v1'],
    ['  portal.qwen.ai  ', 'https://portal.qwen.ai/v1'],
    ['', FALLBACK],
    [undefined, FALLBACK],
  ]
  for (const [resourceUrl, expected] of table) {
    test(`${JSON.stringify(resourceUrl)} → ${expected}`, () => {
      expect(qwenChatBaseUrl(resourceUrl, FALLBACK)).toBe(expected)
    })
  }

  test('the fallback is normalised the same way', () => {
    expect(qwenChatBaseUrl(undefined, 'dashscope.aliyuncs.com/compatible-mode')).toBe('https://dashscope.aliyuncs.com/compatible-mode/v1')
  })
})
