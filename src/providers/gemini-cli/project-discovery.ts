// Which Google Cloud project Code Assist bills: PROJECT_ID, or the one loadCodeAssist names,
// or the one onboardUser creates (a long-running operation, polled a bounded number of times);
// see docs/protocols.md#code-assist-project-discovery.
import { GatewayError, badGateway, forbidden, unavailable } from '../../errors/gateway-error.ts'
import { clientGone } from '../../upstream/http.ts'
import { readObject, type CodeAssistClient } from './code-assist-client.ts'
import { isRecord } from '../../json/read.ts'

const METADATA = { ideType: 'IDE_UNSPECIFIED', platform: 'PLATFORM_UNSPECIFIED', pluginType: 'GEMINI' }

export interface PollOptions {
  /** Waits between polls; injected so tests do not sleep. */
  sleep: (ms: number) => Promise<void>
  intervalMs: number
  maxPolls: number
}

/**
 * The member's project, discovered once: concurrent requests share one discovery, a
 * failed discovery is not remembered (the next request tries again).
 */
export class ProjectResolver {
  private discovery?: Promise<string>

  constructor(
    private readonly client: CodeAssistClient,
    private readonly configured: string | undefined,
    private readonly poll: PollOptions,
  ) {}

  get(signal: AbortSignal): Promise<string> {
    if (this.configured !== undefined) return Promise.resolve(this.configured)
    if (!this.discovery) {
      const discovery = discoverProject(this.client, this.poll)
      this.discovery = discovery
      discovery.catch(() => {
        if (this.discovery === discovery) this.discovery = undefined
      })
    }
    // One client leaving must not cancel the discovery others wait for.
    return untilAborted(this.discovery, signal)
  }
}

export async function discoverProject(client: CodeAssistClient, poll: PollOptions): Promise<string> {
  try {
    return await discover(client, poll)
  } catch (error) {
    throw asDiscoveryError(error)
  }
}

async function discover(client: CodeAssistClient, poll: PollOptions): Promise<string> {
  const loaded = await client.postJson('loadCodeAssist', { metadata: METADATA })
  const project = projectIdOf(loaded.cloudaicompanionProject)
  if (project !== undefined) return project
  const ineligible = records(loaded.ineligibleTiers)
  const validation = ineligible.find((tier) => tier.reasonCode === 'VALIDATION_REQUIRED')
  if (validation) {
    const url = typeof validation.validationUrl === 'string' ? `: visit ${validation.validationUrl}` : ''
    throw forbidden(`Google requires this account to be verified before Gemini Code Assist can be used${url}`)
  }
  if (loaded.currentTier !== undefined) {
    throw forbidden(`this Google account's Code Assist tier needs a Google Cloud project: set PROJECT_ID${reasonsOf(ineligible)}`)
  }
  const tierId = defaultTier(loaded.allowedTiers, ineligible)
  return onboard(client, tierId, poll)
}

/** The allowed tier marked default; `free-tier` when the answer lists none at all. */
function defaultTier(allowedTiers: unknown, ineligible: Record<string, unknown>[]): string {
  const allowed = records(allowedTiers)
  const chosen = allowed.find((tier) => tier.isDefault === true) ?? allowed[0]
  if (chosen && typeof chosen.id === 'string') return chosen.id
  if (ineligible.length > 0) {
    throw forbidden(`this Google account is not eligible for Gemini Code Assist${reasonsOf(ineligible)}`)
  }
  return 'free-tier'
}

async function onboard(client: CodeAssistClient, tierId: string, poll: PollOptions): Promise<string> {
  // The free tier creates its own project; sending one is refused ("Precondition Failed").
  const request = JSON.stringify({ tierId, metadata: METADATA })
  let operation = await readObject(await client.post('onboardUser', request))
  let canGet = true
  for (let polls = 0; operation.done !== true; polls++) {
    if (polls >= poll.maxPolls) {
      throw unavailable(`Gemini Code Assist onboarding did not finish after ${poll.maxPolls} polls; try again later or set PROJECT_ID`)
    }
    await poll.sleep(poll.intervalMs)
    const name = typeof operation.name === 'string' ? operation.name : undefined
    if (name !== undefined && canGet) {
      try {
        operation = await readObject(await client.getOperation(name))
        continue
      } catch (error) {
        // Some deployments only advance the operation when onboardUser is posted again.
        if (!(error instanceof GatewayError) || ![404, 405, 501].includes(error.upstreamStatus ?? 0)) throw error
        canGet = false
      }
    }
    operation = await readObject(await client.post('onboardUser', request))
  }
  if (operation.error !== undefined) {
    const detail = isRecord(operation.error) && typeof operation.error.message === 'string' ? `: ${operation.error.message}` : ''
    throw badGateway(`Gemini Code Assist onboarding failed${detail}`)
  }
  const response = isRecord(operation.response) ? operation.response : {}
  const project = projectIdOf(response.cloudaicompanionProject)
  if (project === undefined) {
    throw badGateway('Gemini Code Assist onboarding finished without a project; set PROJECT_ID')
  }
  return project
}

/** loadCodeAssist names the project as a string, onboardUser as `{id, name}`. */
function projectIdOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value
  if (isRecord(value) && typeof value.id === 'string' && value.id !== '') return value.id
  return undefined
}

function reasonsOf(ineligible: Record<string, unknown>[]): string {
  const reasons = ineligible.map((tier) => tier.reasonMessage ?? tier.reasonCode).filter((reason): reason is string => typeof reason === 'string')
  return reasons.length === 0 ? '' : ` (${reasons.join('; ')})`
}

/** Discovery is not the client's doing: whatever went wrong counts against the member. */
function asDiscoveryError(error: unknown): unknown {
  if (!(error instanceof GatewayError) || error.scope === 'member') return error
  const keep = error.status === 401 || error.status === 403 || error.status === 429 || error.status >= 500
  return new GatewayError(keep ? error.status : 502, keep ? error.kind : 'bad_gateway', `Gemini Code Assist project discovery failed: ${error.message}`, {
    scope: 'member',
    cause: error,
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    ...(error.upstreamStatus === undefined ? {} : { upstreamStatus: error.upstreamStatus }),
  })
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(clientGone())
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(clientGone())
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : []
}
