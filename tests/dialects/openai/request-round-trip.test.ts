// Property-style round trips: OpenAI request → canonical → OpenAI request loses nothing the
// canonical shape can carry.
import { describe, expect, test } from 'bun:test'
import { seededRandom } from '../../helpers/chunks.ts'
import { testCodec } from './fixture-files.ts'

const codec = testCodec()
const roundTrip = (body: Record<string, unknown>) => codec.encodeRequest(codec.decodeRequest(body, {}))

/** Requests already in the encoder's normal form: they must come back byte-identical. */
const NORMAL_FORM: Array<[string, Record<string, unknown>]> = [
  ['temperature 0 and stop sequences', { model: 'm', messages: [{ role: 'user', content: 'x' }], temperature: 0, top_p: 1, stop: ['\n\n', 'END', '停'] }],
  [
    'non-ASCII, emoji and CJK text',
    {
      model: 'm',
      messages: [
        { role: 'system', content: 'Réponds en français. 🇫🇷' },
        { role: 'user', content: '👨‍👩‍👧‍👦 家族 𝒳 — “quotes” \u0000 \ud83d\ude00' },
        { role: 'assistant', content: 'Ça va ✓ 你好' },
        { role: 'user', content: '' },
      ],
    },
  ],
  [
    'tool call ids across turns',
    {
      model: 'm',
      messages: [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_A1', type: 'function', function: { name: 'a', arguments: '{"k":"v"}' } },
            { id: 'toolu_01XyZ', type: 'function', function: { name: 'b', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_A1', content: 'ra' },
        { role: 'tool', tool_call_id: 'toolu_01XyZ', content: 'rb' },
        { role: 'assistant', content: 'done', tool_calls: [{ id: 'call_B2', type: 'function', function: { name: 'a', arguments: '{"n":1.5}' } }] },
        { role: 'tool', tool_call_id: 'call_B2', content: '' },
      ],
      tools: [{ type: 'function', function: { name: 'a', description: 'A', parameters: { type: 'object', properties: { k: { type: 'string' } } } } }],
      tool_choice: 'required',
      parallel_tool_calls: false,
    },
  ],
  [
    'images',
    {
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image_url', image_url: { url: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/x.jpg?a=1&b=2' } },
          ],
        },
      ],
    },
  ],
  [
    'reasoning and every sampling field',
    {
      model: 'm',
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: 'a', reasoning_content: 'because' },
        { role: 'user', content: 'q2' },
      ],
      max_completion_tokens: 1000,
      temperature: 1.3,
      seed: -4,
      presence_penalty: -0.5,
      frequency_penalty: 2,
      response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
      reasoning_effort: 'medium',
      stream: true,
      stream_options: { include_usage: true },
      user: 'session-7',
    },
  ],
  [
    'json_object format and a legacy max_tokens',
    { model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 1, response_format: { type: 'json_object' } },
  ],
]

describe('request round trip', () => {
  test.each(NORMAL_FORM)('%s comes back identical', (_name, body) => {
    expect(roundTrip(body)).toStrictEqual(body)
  })

  test('requests in other shapes settle after one pass', () => {
    const body = {
      model: 'm',
      messages: [
        { role: 'developer', content: [{ type: 'text', text: 'd' }] },
        { role: 'user', content: [{ type: 'text', text: 'only text' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'x' },
            { type: 'text', text: 'y' },
          ],
        },
        { role: 'user', content: [{ type: 'image_url', image_url: 'https://example.com/i.png' }] },
      ],
      stop: 'one',
      stream_options: null,
      max_tokens: 9,
      max_completion_tokens: 8,
    }
    const once = roundTrip(body)
    expect(roundTrip(once)).toStrictEqual(once)
    expect(once).toStrictEqual({
      model: 'm',
      messages: [
        { role: 'system', content: 'd' },
        { role: 'user', content: 'only text' },
        // Several assistant text parts are concatenated, as a streaming client would see them.
        { role: 'assistant', content: 'xy' },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/i.png' } }] },
      ],
      max_tokens: 8,
      stop: ['one'],
    })
  })

  test('random conversations keep every text, id and argument (200 seeds)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const body = randomConversation(seed)
      const canonical = codec.decodeRequest(body, {})
      const again = codec.encodeRequest(canonical)
      expect({ seed, again }).toStrictEqual({ seed, again: body })
    }
  })
})

const ALPHABET = ['a', 'Z', ' ', '\n', '"', '\\', 'é', 'ß', '中', '文', '한', '😀', '👍🏽', '🧑‍💻', '\u200d', '𝄞', '{', '}']

function randomConversation(seed: number): Record<string, unknown> {
  const random = seededRandom(seed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const text = () => Array.from({ length: 1 + Math.floor(random() * 12) }, () => pick(ALPHABET)).join('')
  const messages: Record<string, unknown>[] = [{ role: 'user', content: text() }]
  let callCounter = 0
  const turns = 1 + Math.floor(random() * 4)
  for (let turn = 0; turn < turns; turn++) {
    const calls = Array.from({ length: Math.floor(random() * 3) }, () => ({
      id: `call_${seed}_${callCounter++}_${pick(['x', 'Y', '9'])}`,
      type: 'function',
      function: { name: pick(['search', 'read_file', 'run']), arguments: JSON.stringify({ q: text(), n: Math.floor(random() * 100) }) },
    }))
    if (calls.length === 0) {
      messages.push({ role: 'assistant', content: text() })
      messages.push({ role: 'user', content: text() })
      continue
    }
    messages.push({ role: 'assistant', content: random() < 0.5 ? null : text(), tool_calls: calls })
    for (const call of calls) messages.push({ role: 'tool', tool_call_id: call.id, content: text() })
  }
  const body: Record<string, unknown> = { model: `model-${seed}`, messages }
  if (random() < 0.5) body.temperature = pick([0, 0.2, 1, 2])
  if (random() < 0.5) body.stop = [text(), text()]
  return body
}
