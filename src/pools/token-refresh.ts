// Background credential refresh: every enabled member whose client can refresh is asked to
// renew tokens that expire within the window. Failures are logged, never thrown: the
// request path refreshes on its own when it must.
import type { Logger } from '../log.ts'
import type { MemberEntry } from './member-entry.ts'
import { runLimited } from './run-limited.ts'

export const REFRESH_CONCURRENCY = 4

export async function refreshNearExpiry(entries: readonly MemberEntry[], withinMs: number, log: Logger): Promise<void> {
  const refreshable = entries.flatMap((entry) => {
    const client = entry.member?.client
    return client?.refreshIfNear === undefined ? [] : [{ entry, client }]
  })
  await runLimited(refreshable, REFRESH_CONCURRENCY, async ({ entry, client }) => {
    try {
      await client.refreshIfNear?.(withinMs)
    } catch (error) {
      log.warn(`pools: token refresh of ${entry.provider} member ${entry.uuid} failed: ${error instanceof Error ? error.message : String(error)}`)
    }
  })
}
