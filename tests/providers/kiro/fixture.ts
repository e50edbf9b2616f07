// A fake Kiro plus a client of it, wired the way the gateway wires a pool member.
import { join } from 'node:path'
import type { ChatEvent, ChatRequest } from '../../../src/chat/types.ts'
import type { MemberConfig } from '../../../src/config/schema.ts'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { formatExpiresAt } from '../../../src/providers/kiro/expires-at.ts'
import { kiroProvider } from '../../../src/providers/kiro/index.ts'
import type { ChatCall, ProviderClient } from '../../../src/providers/types.ts'
import { startFakeKiro, type FakeKiro, type FakeKiroOptions } from '../../fakes/kiro/server.ts'
import type { LoginKind } from '../../fakes/kiro/token-authority.ts'
import { capturingLogger, kiroConfig, manualClock, tempDir, writeJson } from './helpers.ts'

export interface KiroFixture {
  fake: FakeKiro
  client: ProviderClient
  clock: ReturnType<typeof manualClock>
  log: ReturnType<typeof capturingLogger>
  config: MemberConfig
  /** The token file (also set when the credentials came from base64, but then never written). */
  path: string
  login: { accessToken: string; refreshToken: string }
  generateCalls: () => number
}

export interface FixtureOptions {
  kind?: LoginKind
  /** Seconds until the file's access token expires (negative: already expired). */
  expiresInS?: number
  /** Extra fields of the token file. */
  file?: Record<string, unknown>
  fake?: FakeKiroOptions
  base64?: boolean
  fetch?: typeof fetch
}

export const CLIENT_ID = 'client-1'
export const CLIENT_SECRET = 'client-secret-1'

export function kiroFixture(options: FixtureOptions = {}): KiroFixture {
  const clock = manualClock()
  const fake = startFakeKiro({ now: clock.now, ...options.fake })
  const kind = options.kind ?? 'social'
  fake.tokens.registerClient(CLIENT_ID, CLIENT_SECRET)
  const expiresInS = options.expiresInS ?? 3600
  const login = fake.tokens.login(kind, { expiresInS, ...(kind === 'idc' ? { clientId: CLIENT_ID } : {}) })
  const content = {
    accessToken: login.accessToken,
    refreshToken: login.refreshToken,
    expiresAt: formatExpiresAt(clock.now() + expiresInS * 1000),
    ...(kind === 'social'
      ? { authMethod: 'social', provider: 'Google', profileArn: fake.profileArn }
      : { authMethod: 'IdC', provider: 'BuilderId', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }),
    ...options.file,
  }
  const path = join(tempDir(), 'kiro-auth-token.json')
  if (!options.base64) writeJson(path, content)
  const config = kiroConfig({
    KIRO_OAUTH_CREDS_FILE_PATH: path,
    ...(options.base64 ? { KIRO_OAUTH_CREDS_BASE64: Buffer.from(JSON.stringify(content)).toString('base64') } : {}),
    KIRO_BASE_URL: fake.urls.api,
    KIRO_REFRESH_URL: fake.urls.social,
    KIRO_REFRESH_IDC_URL: fake.urls.idc,
  })
  const log = capturingLogger()
  const client = kiroProvider.create(config, { log, now: clock.now, fetch: options.fetch ?? fetch })
  const generateCalls = () => fake.journal.filter((entry) => entry.route === 'generateAssistantResponse').length
  return { fake, client, clock, log, config, path, login, generateCalls }
}

export const userRequest = (text: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'claude-sonnet-4-5',
  system: [],
  messages: [{ role: 'user', parts: [{ type: 'text', text }] }],
  stream: true,
  ...extra,
})

export const chatCall = (request: ChatRequest, signal = new AbortController().signal): ChatCall => ({
  format: 'canonical',
  request,
  model: request.model,
  stream: request.stream,
  signal,
  clientHeaders: new Headers(),
})

/** The events of one chat call, or the GatewayError it failed with (before or during the stream). */
export async function chatEvents(client: ProviderClient, request: ChatRequest): Promise<{ events: ChatEvent[]; error?: GatewayError }> {
  const events: ChatEvent[] = []
  try {
    const reply = await client.chat(chatCall(request))
    if (reply.kind !== 'events') throw new Error('Kiro must answer with events')
    for await (const event of reply.events) events.push(event)
  } catch (error) {
    if (error instanceof GatewayError) return { events, error }
    throw error
  }
  return { events }
}

export const textOf = (events: ChatEvent[]) => events.flatMap((event) => (event.type === 'text' ? [event.text] : [])).join('')
