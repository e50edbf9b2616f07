// openai-qwen-oauth against the fake Qwen OAuth server and chat endpoint. Tool calls and
// broken streams are scripted as raw OpenAI-shaped replies.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startQwenFake } from '../../../../fakes/qwen/index.ts'
import { openaiError, rateLimited, type FakeReply } from '../../../../fakes/qwen/replies.ts'
import { openaiReaders } from '../readers.ts'
import { asRecord, type ScriptedCall, type Upstream } from '../upstream.ts'
import { tempDir } from '../../../../helpers/temp-dir.ts'

const MODEL = 'coder-model'
const HOUR = 3_600_000
const USAGE = { prompt_tokens: 40, completion_tokens: 18, total_tokens: 58 }

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'chatcmpl-scripted',
  object: 'chat.completion.chunk',
  created: 1_767_225_600,
  model: MODEL,
  choices: [{ index: 0, delta, finish_reason: finish }],
})

const sse = (events: unknown[], done: boolean): FakeReply => ({
  status: 200,
  body: events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('') + (done ? 'data: [DONE]\n\n' : ''),
  headers: { 'content-type': 'text/event-stream' },
})

function toolReply(calls: ScriptedCall[], stream: boolean): FakeReply {
  const toolCalls = calls.map((call, index) => ({
    id: `call_qwen_${index}`,
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.args) },
  }))
  if (!stream) {
    const message = { role: 'assistant', content: null, tool_calls: toolCalls }
    const body = {
      id: 'chatcmpl-scripted',
      object: 'chat.completion',
      created: 1_767_225_600,
      model: MODEL,
      choices: [{ index: 0, message, finish_reason: 'tool_calls' }],
      usage: USAGE,
    }
    return { status: 200, body: JSON.stringify(body) }
  }
  // Arguments arrive in two fragments per call, the first cut inside a string.
  const events: unknown[] = [chunk({ role: 'assistant', content: null })]
  toolCalls.forEach((call, index) => {
    const args = call.function.arguments
    const cut = Math.ceil(args.length / 2)
    events.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: args.slice(0, cut) } }] }))
    events.push(chunk({ tool_calls: [{ index, function: { arguments: args.slice(cut) } }] }))
  })
  events.push(chunk({}, 'tool_calls'), { ...chunk({}), choices: [], usage: USAGE })
  return sse(events, true)
}

/** Text that the content filter stopped (finish_reason content_filter). */
function filteredReply(text: string, stream: boolean): FakeReply {
  if (!stream) {
    const message = { role: 'assistant', content: text }
    const body = {
      id: 'chatcmpl-scripted',
      object: 'chat.completion',
      created: 1_767_225_600,
      model: MODEL,
      choices: [{ index: 0, message, finish_reason: 'content_filter' }],
      usage: USAGE,
    }
    return { status: 200, body: JSON.stringify(body) }
  }
  return sse(
    [chunk({ role: 'assistant', content: '' }), chunk({ content: text }), chunk({}, 'content_filter'), { ...chunk({}), choices: [], usage: USAGE }],
    true,
  )
}

/** Qwen's reasoning models send `reasoning_content` before the answer. */
function thinkingReply(thinking: string, text: string, stream: boolean): FakeReply {
  if (!stream) {
    const message = { role: 'assistant', content: text, reasoning_content: thinking }
    const body = {
      id: 'chatcmpl-scripted',
      object: 'chat.completion',
      created: 1_767_225_600,
      model: MODEL,
      choices: [{ index: 0, message, finish_reason: 'stop' }],
      usage: USAGE,
    }
    return { status: 200, body: JSON.stringify(body) }
  }
  const events = [
    chunk({ role: 'assistant', content: '' }),
    chunk({ reasoning_content: thinking }),
    chunk({ content: text }),
    chunk({}, 'stop'),
    { ...chunk({}), choices: [], usage: USAGE },
  ]
  return sse(events, true)
}

export async function qwenUpstream(): Promise<Upstream> {
  const fake = startQwenFake()
  const { accessToken, refreshToken } = fake.authority.login()
  const credsPath = join(tempDir('sb-matrix-qwen-'), 'oauth_creds.json')
  const creds = { access_token: accessToken, token_type: 'Bearer', refresh_token: refreshToken, resource_url: fake.chatOrigin, expiry_date: Date.now() + HOUR }
  writeFileSync(credsPath, JSON.stringify(creds), { mode: 0o600 })
  return {
    ...openaiReaders,
    provider: 'openai-qwen-oauth',
    model: MODEL,
    config: { QWEN_OAUTH_CREDS_FILE_PATH: credsPath, QWEN_OAUTH_BASE_URL: fake.oauthUrl },
    secrets: () => [accessToken, refreshToken],
    chatBodies: () => fake.chatCalls().map((entry) => asRecord(entry.json)),
    // The fake echoes word by word, joined by single spaces.
    echo: (text) => `echo: ${text}`,
    answerThinking: (thinking, text, stream) => fake.scriptChat(thinkingReply(thinking, text, stream)),
    answerFiltered: (text, stream) => fake.scriptChat(filteredReply(text, stream)),
    answerToolCalls: (calls, stream) => fake.scriptChat(toolReply(calls, stream)),
    // The fake cuts its echo at max_tokens words and says length.
    answerLength: () => ({ maxTokens: 2 }),
    failWithStatus: (status, message, retryAfterS) =>
      fake.scriptChat(status === 429 ? rateLimited(retryAfterS ?? 1) : openaiError(status, message, 'invalid_request_error', null)),
    failMidStream: () =>
      fake.scriptChat(
        sse(
          [
            chunk({ role: 'assistant', content: '' }),
            chunk({ content: 'Teil eins ' }),
            { error: { message: 'The server had an error while processing your request.', type: 'server_error', code: 'internal_error' } },
          ],
          false,
        ),
      ),
    carriesParams: true,
    stop: () => fake.stop(),
  }
}
