// Builds a gemini-cli-oauth client against the Google fakes, with a credential file in a
// temp folder and a controllable clock.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { KEYS, type MemberConfig } from '../../../src/config/schema.ts'
import { createLogger } from '../../../src/log.ts'
import { createGeminiCliProvider, type GeminiCliOptions } from '../../../src/providers/gemini-cli/index.ts'
import type { ChatCall, ProviderClient } from '../../../src/providers/types.ts'
import { startGoogleFake, type GoogleFake } from '../../fakes/google/index.ts'
import type { CodeAssistState } from '../../fakes/google/code-assist-server.ts'
import { tempDir } from '../../helpers/temp-dir.ts'

export const NOW = Date.UTC(2026, 0, 15, 20, 0, 0)
export const HOUR = 3_600_000

export function defaultConfig(overrides: Partial<MemberConfig> = {}): MemberConfig {
  const defaults: Record<string, unknown> = {}
  for (const [key, spec] of Object.entries(KEYS)) if ('default' in spec) defaults[key] = spec.default
  return { ...(defaults as MemberConfig), ...overrides }
}

export interface GeminiHarness {
  fake: GoogleFake
  client: ProviderClient
  credsPath: string
  refreshToken: string
  accessToken: string
  clock: { now: number }
  config: MemberConfig
}

export interface HarnessOptions {
  state?: Partial<CodeAssistState>
  /** expiry_date of the stored token relative to the clock (default: one hour left). */
  expiresInMs?: number
  config?: Partial<MemberConfig>
  provider?: GeminiCliOptions
}

export function startGeminiHarness(options: HarnessOptions = {}): GeminiHarness {
  const fake = startGoogleFake(options.state)
  const { accessToken, refreshToken } = fake.authority.login()
  const clock = { now: NOW }
  const dir = tempDir('gemini-cli-')
  const credsPath = join(dir, 'oauth_creds.json')
  writeFileSync(
    credsPath,
    JSON.stringify({
      access_token: accessToken,
      refresh_token: refreshToken,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      token_type: 'Bearer',
      expiry_date: NOW + (options.expiresInMs ?? HOUR),
    }),
    { mode: 0o644 },
  )
  const config = defaultConfig({
    GEMINI_OAUTH_CREDS_FILE_PATH: credsPath,
    GEMINI_OAUTH_TOKEN_URL: fake.tokenUrl,
    GEMINI_BASE_URL: fake.codeAssistUrl,
    REQUEST_TIMEOUT_MS: 5000,
    ...options.config,
  })
  const provider = createGeminiCliProvider({ sleep: async () => {}, ...options.provider })
  const client = provider.create(config, { log: createLogger({ level: 'silent' }), now: () => clock.now, fetch })
  return { fake, client, credsPath, refreshToken, accessToken, clock, config }
}

export function geminiCall(body: Record<string, unknown>, options: { model?: string; stream?: boolean; signal?: AbortSignal; raw?: string } = {}): ChatCall {
  return {
    format: 'gemini',
    body,
    ...(options.raw === undefined ? {} : { raw: options.raw }),
    model: options.model ?? 'gemini-2.5-flash',
    stream: options.stream ?? false,
    signal: options.signal ?? new AbortController().signal,
    clientHeaders: new Headers(),
  }
}

export const HELLO = { contents: [{ role: 'user', parts: [{ text: 'hello there world' }] }] }
