// One provider's matrix run: its fake and the gateways pointed at it, shared by the test
// groups of every client dialect. Gateways other than the main one start on first use.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AppConfig } from '../../../../src/config/schema.ts'
import { startGateway, type TestGateway } from '../../../helpers/gateway.ts'
import type { Upstream } from './upstream.ts'
import { tempDir } from '../../../helpers/temp-dir.ts'

/** The operator's system prompt, as SYSTEM_PROMPT_FILE_PATH provides it. */
export const FILE_PROMPT = 'Operator rules 📜: always answer in German.'

export type GatewayVariant = 'system-overwrite' | 'system-append' | 'prompt-log'

export class MatrixContext {
  #upstream: Upstream | undefined
  #main: TestGateway | undefined
  readonly #variants = new Map<GatewayVariant, Promise<TestGateway>>()
  readonly #fresh: TestGateway[] = []

  get upstream(): Upstream {
    if (!this.#upstream) throw new Error('the upstream is not started yet')
    return this.#upstream
  }

  get gw(): TestGateway {
    if (!this.#main) throw new Error('the gateway is not started yet')
    return this.#main
  }

  async start(upstream: Upstream): Promise<void> {
    this.#upstream = upstream
    this.#main = await this.#startGateway({})
  }

  /** A gateway of its own, for a test that leaves the member resting (a 429 with Retry-After). */
  async freshGateway(): Promise<TestGateway> {
    const gw = await this.#startGateway({})
    this.#fresh.push(gw)
    return gw
  }

  variant(name: GatewayVariant): Promise<TestGateway> {
    let started = this.#variants.get(name)
    if (!started) {
      started = this.#startGateway(variantConfig(name))
      this.#variants.set(name, started)
    }
    return started
  }

  async stop(): Promise<void> {
    const variants = await Promise.all(this.#variants.values())
    await Promise.all([this.#main, ...this.#fresh, ...variants].map((gw) => gw?.stop()))
    await this.#upstream?.stop()
  }

  #startGateway(extra: Partial<AppConfig>): Promise<TestGateway> {
    // A lone member must stay usable after the tests that break streams on purpose.
    return startGateway({ MODEL_PROVIDER: this.upstream.provider, POOL_FAILURE_THRESHOLD: 1000, ...this.upstream.config, ...extra })
  }
}

function variantConfig(name: GatewayVariant): Partial<AppConfig> {
  if (name === 'prompt-log') return { PROMPT_LOG_MODE: 'console' }
  const path = join(tempDir('sb-matrix-'), 'system-prompt.txt')
  writeFileSync(path, FILE_PROMPT)
  return { SYSTEM_PROMPT_FILE_PATH: path, SYSTEM_PROMPT_MODE: name === 'system-overwrite' ? 'overwrite' : 'append' }
}
