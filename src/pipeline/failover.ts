// Runs one upstream call on the best member, moving to the next best when the member
// fails before anything reached the client. Back-off only when the same member must be
// retried; a request-caused error is returned at once and never blamed on a member.
import { type GatewayError, toGatewayError, badGateway } from '../errors/gateway-error.ts'
import { errorForClient } from '../errors/for-client.ts'
import type { Lease } from '../pools/types.ts'
import type { ProviderId } from '../providers/types.ts'
import type { Runtime } from './runtime.ts'

export interface Attempted<T> {
  value: T
  lease: Lease
  attempts: number
}

export class FailedAttempts extends Error {
  constructor(
    readonly error: GatewayError,
    readonly attempts: number,
    readonly instance?: string,
  ) {
    super(error.message)
  }
}

export interface FailoverOptions {
  provider: ProviderId
  sessionKey?: string
  signal: AbortSignal
  /** Each member at most once, no back-off retries of the same one: a fallback provider is waiting. */
  onePass?: boolean
  /** false: when every member is at its maxConcurrent, fail at once instead of queueing. */
  waitForSlot?: boolean
}

/**
 * Calls `attempt` with leases until one succeeds. `attempt` must finish everything that
 * may still fail over (upstream status, first event), and nothing that reaches the client;
 * it calls `markFirstByte` when the upstream answered, for the member's latency sample.
 */
export async function withFailover<T>(
  runtime: Runtime,
  options: FailoverOptions,
  attempt: (lease: Lease, markFirstByte: () => void) => Promise<T>,
): Promise<Attempted<T>> {
  const tried = new Set<string>()
  const failures: GatewayError[] = []
  let sameMemberRetries = 0
  let lastInstance: string | undefined
  const maxAttempts = 1 + runtime.config.REQUEST_MAX_RETRIES
  // What leaves here goes to the client: upstream messages may quote keys or file paths.
  const failed = (error: GatewayError, attempts: number, instance?: string) =>
    new FailedAttempts(errorForClient(error, runtime.log.forClient), attempts, instance)
  for (let attempts = 1; attempts <= maxAttempts; attempts++) {
    const pickOptions = { tried, ...(options.onePass ? { untriedOnly: true } : {}), ...(options.sessionKey ? { sessionKey: options.sessionKey } : {}) }
    const picked =
      options.waitForSlot === false
        ? runtime.pools.pick(options.provider, pickOptions)
        : await runtime.pools.acquire(options.provider, pickOptions, options.signal)
    if ('error' in picked) {
      throw failed(failures.length > 0 ? summarize(failures) : picked.error, attempts - 1, lastInstance)
    }
    const { lease } = picked
    const uuid = lease.member.uuid
    lastInstance = uuid
    if (tried.has(uuid)) {
      await runtime.sleep(runtime.config.REQUEST_BASE_DELAY * 2 ** sameMemberRetries++)
      if (options.signal.aborted) {
        lease.end()
        throw failed(summarize(failures), attempts - 1, uuid)
      }
    }
    tried.add(uuid)
    const started = runtime.now()
    let firstByteAt: number | undefined
    try {
      const value = await attempt(lease, () => {
        firstByteAt ??= runtime.now()
      })
      lease.succeeded((firstByteAt ?? runtime.now()) - started)
      return { value, lease, attempts }
    } catch (thrown) {
      const error = toGatewayError(thrown)
      lease.failed(error)
      lease.end()
      if (error.scope !== 'member' || options.signal.aborted) throw failed(error, attempts, uuid)
      runtime.log.warn(`${options.provider}/${uuid} failed (${error.status} ${error.kind}): ${error.message}; attempt ${attempts} of ${maxAttempts}`)
      failures.push(error)
    }
  }
  throw failed(summarize(failures), maxAttempts, lastInstance)
}

/** When every attempt failed the same way, that status; otherwise the last failure. */
function summarize(failures: GatewayError[]): GatewayError {
  const last = failures[failures.length - 1] as GatewayError
  if (failures.every((failure) => failure.status === last.status)) return last
  const statuses = failures.map((failure) => failure.status).join(', ')
  const hints = failures.flatMap((failure) => (failure.retryAfterMs === undefined ? [] : [failure.retryAfterMs]))
  return badGateway(`every attempt failed (statuses ${statuses}); last: ${last.message}`, {
    ...(hints.length > 0 ? { retryAfterMs: Math.min(...hints) } : {}),
  })
}
