// The two Google origins the gemini-cli-oauth provider talks to, started together:
// the OAuth token endpoint and the Code Assist API, sharing one token authority.
import { startCodeAssistFake, type CodeAssistScript, type CodeAssistState } from './code-assist-server.ts'
import type { FakeReply } from './errors.ts'
import type { JournalEntry } from './journal.ts'
import { startGoogleOAuthFake } from './oauth-server.ts'
import { TokenAuthority } from '../shared/token-authority.ts'

export interface GoogleFake {
  /** GEMINI_OAUTH_TOKEN_URL */
  tokenUrl: string
  /** GEMINI_BASE_URL */
  codeAssistUrl: string
  authority: TokenAuthority
  state: CodeAssistState
  journal: JournalEntry[]
  /** expires_in of refreshed tokens, seconds. */
  expiresIn: number
  /** Queues behaviours for a Code Assist method, used before the normal ones. */
  script(method: string, ...behaviours: CodeAssistScript[]): void
  /** Queues replies of the token endpoint. */
  scriptToken(...replies: FakeReply[]): void
  /** Code Assist requests to one method, in order. */
  calls(method: string): JournalEntry[]
  stop(): void
}

export function startGoogleFake(state: Partial<CodeAssistState> = {}): GoogleFake {
  const authority = new TokenAuthority()
  const journal: JournalEntry[] = []
  const scripts = new Map<string, CodeAssistScript[]>()
  const tokenScript: FakeReply[] = []
  const fullState: CodeAssistState = { account: 'onboarded', project: 'fake-proj-1', pendingPolls: 0, operationNames: true, getOperations: true, ...state }
  const fake: GoogleFake = {
    tokenUrl: '',
    codeAssistUrl: '',
    authority,
    state: fullState,
    journal,
    expiresIn: 3599,
    script(method, ...behaviours) {
      scripts.set(method, [...(scripts.get(method) ?? []), ...behaviours])
    },
    scriptToken(...replies) {
      tokenScript.push(...replies)
    },
    calls(method) {
      return journal.filter((entry) => entry.origin === 'code-assist' && entry.path.endsWith(`:${method}`))
    },
    stop() {
      oauth.stop(true)
      codeAssist.stop(true)
    },
  }
  const oauth = startGoogleOAuthFake({ authority, journal, script: tokenScript, expiresIn: () => fake.expiresIn })
  const codeAssist = startCodeAssistFake({ authority, journal, state: fullState, scripts })
  fake.tokenUrl = `http://127.0.0.1:${oauth.port}/token`
  fake.codeAssistUrl = `http://127.0.0.1:${codeAssist.port}`
  return fake
}
