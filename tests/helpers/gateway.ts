// Starts a real gateway on 127.0.0.1:0 from a config object, with captured logs.
import { loadConfig } from '../../src/config/load.ts'
import type { AppConfig } from '../../src/config/schema.ts'
import { createGateway, type GatewayOptions } from '../../src/gateway.ts'
import { createLogger } from '../../src/log.ts'
import { isProviderId, type ProviderId } from '../../src/providers/types.ts'
import { tempDir } from './temp-dir.ts'

export const TEST_KEY = 'test-gateway-key-123'

export interface TestGateway {
  url: string
  /** For raw TCP requests. */
  port: number
  key: string
  logs: string[]
  gateway: ReturnType<typeof createGateway>
  stop(): Promise<void>
}

export async function startGateway(overrides: Partial<AppConfig> = {}, options: GatewayOptions = {}): Promise<TestGateway> {
  const cwd = tempDir('sb-gw-')
  const base = loadConfig({ flags: {}, cwd, home: cwd })
  const config = { ...base.config, REQUIRED_API_KEY: TEST_KEY, SERVER_PORT: 0, REQUEST_BASE_DELAY: 1, ...overrides } as AppConfig
  const providers = String(config.MODEL_PROVIDER)
    .split(',')
    .map((id) => id.trim())
    .filter(isProviderId) as ProviderId[]
  const logs: string[] = []
  const log = createLogger({ level: 'debug', write: (_level, line) => logs.push(line) })
  const gateway = createGateway({ config, providers, generatedKey: false, unknownKeys: [] }, { log, sleep: async () => {}, ...options })
  gateway.app.listen({ hostname: '127.0.0.1', port: 0 })
  const port = gateway.app.server?.port ?? 0
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    key: TEST_KEY,
    logs,
    gateway,
    async stop() {
      await gateway.pools.stop()
      gateway.keys?.stop()
      gateway.replicas?.stop()
      if (gateway.app.server) await gateway.app.stop()
    },
  }
}

/** POSTs a JSON body (a string or bytes go as they are) to the gateway, with its key as a Bearer token. */
export function post(gw: TestGateway, path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gw.key}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
    ...(signal ? { signal } : {}),
  })
}
