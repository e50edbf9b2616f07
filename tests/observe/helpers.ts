// A gateway in front of a two-member openai-custom pool of fake upstreams, plus a small
// Prometheus text reader, for the monitoring tests.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AppConfig } from '../../src/config/schema.ts'
import type { GatewayOptions } from '../../src/gateway.ts'
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/index.ts'
import { seededRandom } from '../helpers/chunks.ts'
import { startGateway, type TestGateway } from '../helpers/gateway.ts'
import { tempDir } from '../helpers/temp-dir.ts'

export const MEMBER_KEYS = { 'member-a': 'sk-observe-member-a-secret', 'member-b': 'sk-observe-member-b-secret' } as const
export type MemberId = keyof typeof MEMBER_KEYS

export interface PoolSetup {
  gw: TestGateway
  fakes: Record<MemberId, FakeOpenAI>
  poolsPath: string
  stop(): Promise<void>
}

export async function startPool(overrides: Partial<AppConfig> = {}, options: GatewayOptions = {}): Promise<PoolSetup> {
  const fakes = {
    'member-a': await startFakeOpenAI({ apiKey: MEMBER_KEYS['member-a'] }),
    'member-b': await startFakeOpenAI({ apiKey: MEMBER_KEYS['member-b'] }),
  }
  const dir = tempDir('sb-observe-')
  const path = join(dir, 'provider_pools.json')
  const members = Object.entries(fakes).map(([uuid, fake]) => ({ uuid, OPENAI_API_KEY: MEMBER_KEYS[uuid as MemberId], OPENAI_BASE_URL: fake.url }))
  writeFileSync(path, JSON.stringify({ 'openai-custom': members }))
  const gw = await startGateway({ MODEL_PROVIDER: 'openai-custom', PROVIDER_POOLS_FILE_PATH: path, ...overrides }, { random: seededRandom(3), ...options })
  return {
    gw,
    fakes,
    poolsPath: path,
    async stop() {
      await gw.stop()
      for (const fake of Object.values(fakes)) await fake.stop()
    },
  }
}

export const PROMPT = 'the secret prompt text 7f3a'

export const openaiBody = (stream = false) => ({
  model: 'gpt-4o-mini',
  stream,
  ...(stream ? { stream_options: { include_usage: true } } : {}),
  messages: [{ role: 'user', content: PROMPT }],
})
export const anthropicBody = (stream = false) => ({ model: 'gpt-4o-mini', max_tokens: 64, stream, messages: [{ role: 'user', content: PROMPT }] })
export const geminiBody = () => ({ contents: [{ role: 'user', parts: [{ text: PROMPT }] }] })

/** Samples of a Prometheus text exposition: `name{labels}` → value. */
export function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const space = line.lastIndexOf(' ')
    samples.set(line.slice(0, space), Number(line.slice(space + 1)))
  }
  return samples
}

/** The sum of every sample of `name` whose labels include all of `labels`. */
export function sumOf(samples: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let total = 0
  for (const [key, value] of samples) {
    const brace = key.indexOf('{')
    if ((brace === -1 ? key : key.slice(0, brace)) !== name) continue
    if (Object.entries(labels).every(([label, want]) => key.includes(`${label}="${want}"`))) total += value
  }
  return total
}
