// gemini-cli-oauth against the fake Google OAuth endpoint and Code Assist API. Answers the
// fake cannot produce on its own (function calls) are scripted as raw Code Assist replies.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { googleError, rateLimited, type FakeReply } from '../../../../fakes/google/errors.ts'
import { startGoogleFake } from '../../../../fakes/google/index.ts'
import { geminiReaders } from '../readers.ts'
import { asRecord, type ScriptedCall, type Upstream } from '../upstream.ts'
import { tempDir } from '../../../../helpers/temp-dir.ts'

const MODEL = 'gemini-2.5-flash'
const HOUR = 3_600_000

/** One Code Assist stream event or whole answer: the Gemini response inside `{response, traceId}`. */
function envelope(parts: unknown[], last: boolean, finishReason = 'STOP'): unknown {
  const candidate: Record<string, unknown> = { content: { role: 'model', parts }, index: 0 }
  const response: Record<string, unknown> = { candidates: [candidate], modelVersion: MODEL }
  if (last) {
    candidate.finishReason = finishReason
    response.usageMetadata = { promptTokenCount: 31, candidatesTokenCount: 17, totalTokenCount: 48 }
  }
  return { response, traceId: 'trace-scripted' }
}

const sse = (events: unknown[]): FakeReply => ({
  status: 200,
  body: events.map((event) => `data: ${JSON.stringify(event)}\r\n\r\n`).join(''),
  headers: { 'content-type': 'text/event-stream' },
})

/** Gemini sends each functionCall whole, without an id; parallel calls may share a chunk or not. */
function toolReply(calls: ScriptedCall[], stream: boolean): FakeReply {
  const parts = calls.map((call) => ({ functionCall: { name: call.name, args: call.args } }))
  if (!stream) return { status: 200, body: JSON.stringify(envelope(parts, true)) }
  return sse(parts.map((part, index) => envelope([part], index === parts.length - 1)))
}

/** Thought parts, then the answer (streamed: one part per event). */
function thinkingReply(thinking: string, text: string, stream: boolean): FakeReply {
  const parts = [{ text: thinking, thought: true }, { text }]
  if (!stream) return { status: 200, body: JSON.stringify(envelope(parts, true)) }
  return sse(parts.map((part, index) => envelope([part], index === parts.length - 1)))
}

/** Text whose last chunk says SAFETY. */
function filteredReply(text: string, stream: boolean): FakeReply {
  if (!stream) return { status: 200, body: JSON.stringify(envelope([{ text }], true, 'SAFETY')) }
  const cut = text.indexOf(' ')
  return sse([envelope([{ text: text.slice(0, cut) }], false), envelope([{ text: text.slice(cut) }], true, 'SAFETY')])
}

/** Two words of an answer, then Google's error object as the next event. */
function midStreamError(): FakeReply {
  const error = { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } }
  return sse([envelope([{ text: 'Teil' }], false), envelope([{ text: ' eins' }], false), error])
}

export async function geminiCliUpstream(): Promise<Upstream> {
  const fake = startGoogleFake()
  const { accessToken, refreshToken } = fake.authority.login()
  const credsPath = join(tempDir('sb-matrix-gemini-'), 'oauth_creds.json')
  const creds = {
    access_token: accessToken,
    refresh_token: refreshToken,
    scope: 'https://www.googleapis.com/auth/cloud-platform',
    token_type: 'Bearer',
    expiry_date: Date.now() + HOUR,
  }
  writeFileSync(credsPath, JSON.stringify(creds), { mode: 0o600 })
  const method = (stream: boolean) => (stream ? 'streamGenerateContent' : 'generateContent')
  return {
    ...geminiReaders,
    provider: 'gemini-cli-oauth',
    model: MODEL,
    config: {
      GEMINI_OAUTH_CREDS_FILE_PATH: credsPath,
      GEMINI_OAUTH_TOKEN_URL: fake.tokenUrl,
      GEMINI_BASE_URL: fake.codeAssistUrl,
      PROJECT_ID: fake.state.project,
    },
    secrets: () => [accessToken, refreshToken],
    chatBodies: () =>
      fake.journal
        .filter((entry) => entry.origin === 'code-assist' && /:(generateContent|streamGenerateContent)$/.test(entry.path))
        .map((entry) => asRecord(asRecord(entry.json).request)),
    // The fake echoes word by word, joined by single spaces.
    echo: (text) => `echo: ${text}`,
    answerThinking: (thinking, text, stream) => fake.script(method(stream), thinkingReply(thinking, text, stream)),
    answerFiltered: (text, stream) => fake.script(method(stream), filteredReply(text, stream)),
    answerToolCalls: (calls, stream) => fake.script(method(stream), toolReply(calls, stream)),
    // The fake cuts its echo at maxOutputTokens words and says MAX_TOKENS.
    answerLength: () => ({ maxTokens: 2 }),
    failWithStatus: (status, message, retryAfterS, stream) =>
      fake.script(method(stream), status === 429 ? rateLimited(`${retryAfterS ?? 1}s`) : googleError(status, 'INVALID_ARGUMENT', message)),
    // An in-band error after the first words (a cut socket before the first byte would fail over instead).
    failMidStream: () => fake.script('streamGenerateContent', midStreamError()),
    carriesParams: true,
    stop: () => fake.stop(),
  }
}
