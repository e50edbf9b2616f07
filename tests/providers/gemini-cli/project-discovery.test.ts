import { afterEach, describe, expect, test } from 'bun:test'
import { GatewayError } from '../../../src/errors/gateway-error.ts'
import { googleError } from '../../fakes/google/errors.ts'
import { geminiCall, HELLO, startGeminiHarness, type GeminiHarness } from './harness.ts'

let harness: GeminiHarness | undefined
afterEach(() => harness?.fake.stop())

const projectOf = (h: GeminiHarness) => (h.fake.calls('generateContent')[0]?.json as { project?: string } | undefined)?.project
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  )

describe('gemini-cli-oauth project discovery', () => {
  test('PROJECT_ID is used as is, without asking Code Assist', async () => {
    harness = startGeminiHarness({ config: { PROJECT_ID: 'fake-proj-1' } })
    await harness.client.chat(geminiCall(HELLO))
    expect(harness.fake.calls('loadCodeAssist')).toHaveLength(0)
    expect(projectOf(harness)).toBe('fake-proj-1')
  })

  test('an onboarded account: the project loadCodeAssist names, asked once per credential', async () => {
    harness = startGeminiHarness()
    await harness.client.chat(geminiCall(HELLO))
    await harness.client.chat(geminiCall(HELLO))
    expect(harness.fake.calls('loadCodeAssist')).toHaveLength(1)
    expect(harness.fake.calls('loadCodeAssist')[0]?.json).toEqual({
      metadata: { ideType: 'IDE_UNSPECIFIED', platform: 'PLATFORM_UNSPECIFIED', pluginType: 'GEMINI' },
    })
    expect(harness.fake.calls('onboardUser')).toHaveLength(0)
    expect(projectOf(harness)).toBe('fake-proj-1')
  })

  test('concurrent first requests share one discovery', async () => {
    harness = startGeminiHarness()
    const h = harness
    await Promise.all([1, 2, 3].map(() => h.client.chat(geminiCall(HELLO))))
    expect(h.fake.calls('loadCodeAssist')).toHaveLength(1)
  })

  test('a new account is onboarded on the default tier, polling the operation with GET', async () => {
    const sleeps: number[] = []
    harness = startGeminiHarness({ state: { account: 'new', pendingPolls: 3 }, provider: { sleep: async (ms) => void sleeps.push(ms), pollIntervalMs: 1234 } })
    await harness.client.chat(geminiCall(HELLO))
    const onboard = harness.fake.calls('onboardUser')
    expect(onboard).toHaveLength(1)
    expect(onboard[0]?.json).toMatchObject({ tierId: 'free-tier' })
    expect((onboard[0]!.json as Record<string, unknown>).cloudaicompanionProject).toBeUndefined()
    const polls = harness.fake.journal.filter((entry) => entry.method === 'GET')
    expect(polls.map((entry) => entry.path)).toEqual(['/v1internal/operations/op1', '/v1internal/operations/op1', '/v1internal/operations/op1'])
    expect(sleeps).toEqual([1234, 1234, 1234])
    expect(projectOf(harness)).toBe('fake-proj-1')
  })

  test('an operation without a name is polled by posting onboardUser again', async () => {
    harness = startGeminiHarness({ state: { account: 'new', pendingPolls: 2, operationNames: false } })
    await harness.client.chat(geminiCall(HELLO))
    expect(harness.fake.calls('onboardUser')).toHaveLength(3)
    expect(harness.fake.journal.filter((entry) => entry.method === 'GET')).toHaveLength(0)
    expect(projectOf(harness)).toBe('fake-proj-1')
  })

  test('when GET on the operation is not supported, polling falls back to posting onboardUser', async () => {
    harness = startGeminiHarness({ state: { account: 'new', pendingPolls: 2, getOperations: false } })
    await harness.client.chat(geminiCall(HELLO))
    expect(harness.fake.journal.filter((entry) => entry.method === 'GET')).toHaveLength(1)
    expect(harness.fake.calls('onboardUser')).toHaveLength(3)
    expect(projectOf(harness)).toBe('fake-proj-1')
  })

  test('polling is bounded: an operation that never finishes fails the request, and the next request tries again', async () => {
    harness = startGeminiHarness({ state: { account: 'new', pendingPolls: 100 }, provider: { maxPolls: 4 } })
    const error = await failure(harness.client.chat(geminiCall(HELLO)))
    expect(error).toBeInstanceOf(GatewayError)
    expect(error).toMatchObject({ status: 503, scope: 'member' })
    expect((error as Error).message).toContain('did not finish after 4 polls')
    expect(harness.fake.journal.filter((entry) => entry.method === 'GET')).toHaveLength(4)
    harness.fake.state.pendingPolls = 0
    await harness.client.chat(geminiCall(HELLO))
    expect(harness.fake.calls('loadCodeAssist')).toHaveLength(2)
    expect(projectOf(harness)).toBe('fake-proj-1')
  })

  test('an account that needs validation fails with the validation URL', async () => {
    harness = startGeminiHarness({ state: { account: 'validation' } })
    const error = await failure(harness.client.chat(geminiCall(HELLO)))
    expect(error).toMatchObject({ status: 403, kind: 'permission', scope: 'member' })
    expect((error as Error).message).toContain('https://accounts.google.com/signin/continue?fake=validate')
    expect(harness.fake.calls('onboardUser')).toHaveLength(0)
  })

  test('an ineligible account fails with the reasons Google gives', async () => {
    harness = startGeminiHarness({ state: { account: 'ineligible' } })
    const error = await failure(harness.client.chat(geminiCall(HELLO)))
    expect(error).toMatchObject({ status: 403, scope: 'member' })
    expect((error as Error).message).toContain('not eligible')
    expect((error as Error).message).toContain('Not available for this account.')
  })

  test('a failed discovery is not remembered', async () => {
    harness = startGeminiHarness()
    harness.fake.script('loadCodeAssist', googleError(503, 'UNAVAILABLE', 'The service is currently unavailable.'))
    const error = await failure(harness.client.chat(geminiCall(HELLO)))
    expect(error).toMatchObject({ status: 503, scope: 'member' })
    await harness.client.chat(geminiCall(HELLO))
    expect(harness.fake.calls('loadCodeAssist')).toHaveLength(2)
  })

  test('a client-looking error during discovery still counts against the member', async () => {
    harness = startGeminiHarness({ state: { account: 'security-policy' } })
    const error = await failure(harness.client.chat(geminiCall(HELLO)))
    expect(error).toMatchObject({ status: 403, scope: 'member' })
    harness.fake.state.account = 'onboarded'
    harness.fake.script('loadCodeAssist', googleError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.'))
    const invalid = await failure(harness.client.chat(geminiCall(HELLO)))
    expect(invalid).toMatchObject({ status: 502, scope: 'member' })
    expect((invalid as Error).message).toContain('project discovery failed')
  })

  test('a client that goes away stops waiting, while discovery carries on for the others', async () => {
    const polling = Promise.withResolvers<void>()
    const gate = Promise.withResolvers<void>()
    const sleep = () => {
      polling.resolve()
      return gate.promise
    }
    harness = startGeminiHarness({ state: { account: 'new', pendingPolls: 1 }, provider: { sleep } })
    const h = harness
    const leaving = new AbortController()
    const first = failure(h.client.chat(geminiCall(HELLO, { signal: leaving.signal })))
    const second = h.client.chat(geminiCall(HELLO))
    await polling.promise
    leaving.abort()
    expect(await first).toMatchObject({ status: 499, scope: 'request' })
    gate.resolve()
    expect((await second).kind).toBe('http')
    expect(h.fake.calls('loadCodeAssist')).toHaveLength(1)
  })
})
