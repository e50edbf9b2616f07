// Replicas for the Redis tests: gateways built from their own configs sharing one Redis,
// and waiting on conditions (never on fixed sleeps).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AppConfig } from '../../src/config/schema.ts'
import type { SharingStatus } from '../../src/pools/sharing.ts'
import { startGateway, type TestGateway } from '../helpers/gateway.ts'
import { tempDir } from '../helpers/temp-dir.ts'

/** Polls `check` until it holds; fails after `ms`. Returns how long it took. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<number> {
  const started = performance.now()
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
  return performance.now() - started
}

export function sharingOf(gw: TestGateway): SharingStatus {
  const status = gw.gateway.replicas?.status()
  if (status === undefined) throw new Error('this gateway has no REDIS_URL')
  return status
}

/** A pools file in its own folder (each replica has its own, as on separate machines). */
export function poolsFile(pools: Record<string, unknown[]>): string {
  const path = join(tempDir('sb-replica-'), 'provider_pools.json')
  writeFileSync(path, JSON.stringify(pools))
  return path
}

export async function startReplica(redisUrl: string, overrides: Partial<AppConfig>): Promise<TestGateway> {
  const gw = await startGateway({ REDIS_URL: redisUrl, ...overrides })
  await until(() => sharingOf(gw).redisReachable, 'the replica to reach Redis')
  return gw
}

export function member(gw: TestGateway, provider: string, uuid: string) {
  const found = (gw.gateway.pools.snapshot() as Record<string, { uuid: string }[] | undefined>)[provider]?.find((m) => m.uuid === uuid)
  if (found === undefined) throw new Error(`no ${provider} member ${uuid}`)
  return found as ReturnType<TestGateway['gateway']['pools']['snapshot']>['openai-custom'] extends (infer M)[] | undefined ? M : never
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
}
