// claude-kiro-oauth against the fake Kiro (social login, event-stream answers).
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import { formatExpiresAt } from '../../../../../src/providers/kiro/expires-at.ts'
import { cutAt, exceptionAnswer, thinkingAnswer, toolAnswer } from '../../../../fakes/kiro/answers.ts'
import { kiroFaults, startFakeKiro, type KiroScenario } from '../../../../fakes/kiro/server.ts'
import { kiroReaders } from '../readers.ts'
import { asRecord, type Upstream } from '../upstream.ts'
import { tempDir } from '../../../../helpers/temp-dir.ts'

const HOUR = 3_600_000

function validationError(message: string): KiroScenario {
  return {
    kind: 'status',
    status: 400,
    headers: { 'x-amzn-errortype': 'ValidationException:http://internal.amazon.com/coral/com.amazon.aws.codewhisperer/' },
    body: JSON.stringify({ message, reason: null }),
  }
}

export async function kiroUpstream(): Promise<Upstream> {
  const fake = startFakeKiro()
  const login = fake.tokens.login('social')
  const path = join(tempDir('sb-matrix-kiro-'), 'kiro-auth-token.json')
  const token = { ...login, expiresAt: formatExpiresAt(Date.now() + HOUR), authMethod: 'social', provider: 'Google', profileArn: fake.profileArn }
  writeFileSync(path, JSON.stringify(token), { mode: 0o600 })
  let answers = 0
  return {
    ...kiroReaders,
    provider: 'claude-kiro-oauth',
    model: 'claude-sonnet-4-6',
    config: { KIRO_OAUTH_CREDS_FILE_PATH: path, KIRO_BASE_URL: fake.urls.api, KIRO_REFRESH_URL: fake.urls.social, KIRO_REFRESH_IDC_URL: fake.urls.idc },
    secrets: () => [login.accessToken, login.refreshToken],
    chatBodies: () => fake.journal.filter((entry) => entry.route === 'generateAssistantResponse').map((entry) => asRecord(entry.json)),
    echo: (text) => `You said: ${text}`,
    // Kiro sends reasoning as <thinking> tags inside the text.
    answerThinking: (thinking, text) => fake.enqueue({ kind: 'stream', frames: thinkingAnswer(thinking, text) }),
    answerToolCalls: (calls) => {
      const n = ++answers
      // Input JSON in three fragments, cut inside strings.
      const scripted = calls.map((call, index) => {
        const json = JSON.stringify(call.args)
        return {
          toolUseId: `tooluse_kiro${n}_${index}`,
          name: call.name,
          fragments: cutAt(json, [Math.floor(json.length / 3), Math.floor((2 * json.length) / 3)]),
        }
      })
      fake.enqueue({ kind: 'stream', frames: toolAnswer(undefined, scripted) })
    },
    // Kiro never reports a stop at a token limit.
    answerLength: () => undefined,
    failWithStatus: (status, message, retryAfterS) => fake.enqueue(status === 429 ? kiroFaults.throttled429(retryAfterS) : validationError(message)),
    failMidStream: () =>
      fake.enqueue({ kind: 'stream', frames: exceptionAnswer(['Teil ', 'eins '], 'InternalServerException', 'Encountered an unexpected error') }),
    carriesParams: false,
    stop: () => fake.stop(),
  }
}
