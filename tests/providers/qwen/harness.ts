// Builds an openai-qwen-oauth client against the Qwen fakes, with a credential file in a
// temp folder and a controllable clock.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { KEYS, type MemberConfig } from '../../../src/config/schema.ts'
import { createLogger } from '../../../src/log.ts'
import { qwenProvider } from '../../../src/providers/qwen/index.ts'
import type { ChatCall, ProviderClient } from '../../../src/providers/types.ts'
import { startQwenFake, type QwenFake, type QwenFakeOptions } from '../../fakes/qwen/index.ts'
import { tempDir } from '../../helpers/temp-dir.ts'

// 2026-01-15 12:00 UTC = 20:00 in Shanghai: four hours to the quota reset.
export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0)
export const HOUR = 3_600_000

export function defaultConfig(overrides: Partial<MemberConfig> = {}): MemberConfig {
  const defaults: Record<string, unknown> = {}
  for (const [key, spec] of Object.entries(KEYS)) if ('default' in spec) defaults[key] = spec.default
  return { ...(defaults as MemberConfig), ...overrides }
}

export interface QwenHarness {
  fake: QwenFake
  client: ProviderClient
  credsPath: string
  accessToken: string
  refreshToken: string
  clock: { now: number }
}

export interface HarnessOptions {
  fake?: QwenFakeOptions
  /** The stored credential; default: normalised, one hour left, resource_url = the chat fake. */
  creds?: (tokens: { accessToken: string; refreshToken: string; chatOrigin: string }) => Record<string, unknown>
  config?: (fake: QwenFake) => Partial<MemberConfig>
}

export function startQwenHarness(options: HarnessOptions = {}): QwenHarness {
  const fake = startQwenFake(options.fake)
  const { accessToken, refreshToken } = fake.authority.login()
  const clock = { now: NOW }
  const credsPath = join(tempDir('qwen-'), 'oauth_creds.json')
  const creds = options.creds?.({ accessToken, refreshToken, chatOrigin: fake.chatOrigin }) ?? {
    access_token: accessToken,
    token_type: 'Bearer',
    refresh_token: refreshToken,
    resource_url: fake.chatOrigin,
    expiry_date: NOW + HOUR,
  }
  writeFileSync(credsPath, JSON.stringify(creds), { mode: 0o644 })
  const config = defaultConfig({
    QWEN_OAUTH_CREDS_FILE_PATH: credsPath,
    QWEN_OAUTH_BASE_URL: fake.oauthUrl,
    REQUEST_TIMEOUT_MS: 5000,
    ...options.config?.(fake),
  })
  const client = qwenProvider.create(config, { log: createLogger({ level: 'silent' }), now: () => clock.now, fetch })
  return { fake, client, credsPath, accessToken, refreshToken, clock }
}

export function openaiCall(body: Record<string, unknown>, options: { raw?: string; model?: string } = {}): ChatCall {
  return {
    format: 'openai',
    body,
    ...(options.raw === undefined ? {} : { raw: options.raw }),
    model: options.model ?? (typeof body.model === 'string' ? body.model : 'coder-model'),
    stream: body.stream === true,
    signal: new AbortController().signal,
    clientHeaders: new Headers(),
  }
}

export const HELLO = { model: 'coder-model', messages: [{ role: 'user', content: 'hello there world' }] }
