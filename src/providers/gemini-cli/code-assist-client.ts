// Calls to the Code Assist API ({base}/v1internal:{method}) with the Gemini CLI's headers
// and a live access token (docs/protocols.md#code-assist-endpoints). Non-2xx answers become
// GatewayErrors.
import { badGateway } from '../../errors/gateway-error.ts'
import { sendAuthorized } from '../oauth/authorized-send.ts'
import type { CredentialStore } from '../oauth/credential-store.ts'
import type { Token } from '../oauth/token-source.ts'
import { upstreamFetch, type UpstreamInit } from '../../upstream/http.ts'
import { readCappedText } from '../../upstream/body.ts'
import type { GeminiCredential } from './credentials.ts'
import { decodeCodeAssistError } from './errors.ts'
import { parseJsonObject } from '../../json/read.ts'

// The Gemini CLI release whose headers we send (the service is not documented to check them).
const CLI_VERSION = '0.31.0'
const GOOG_API_CLIENT = 'google-genai-sdk/1.41.0 gl-node/v22.19.0'

export interface CodeAssistClientOptions {
  baseUrl: string
  store: CredentialStore<GeminiCredential>
  fetch: typeof fetch
  now: () => number
  timeoutMs: number
  /** Largest answer body held in memory. */
  maxBytes: number
}

export interface CodeAssistCall {
  /** The model, for the User-Agent of generate calls. */
  model?: string
  stream?: boolean
  signal?: AbortSignal
  /** Overrides the time-to-first-byte limit (health probes use their own). */
  timeoutMs?: number
}

export class CodeAssistClient {
  private readonly base: string

  constructor(private readonly options: CodeAssistClientOptions) {
    this.base = `${options.baseUrl.replace(/\/+$/, '')}/v1internal`
  }

  /** POST `{base}/v1internal:{method}` (stream methods with `alt=sse`); resolves with a 2xx response. */
  post(method: string, body: string, call: CodeAssistCall = {}): Promise<Response> {
    const url = `${this.base}:${method}${call.stream ? '?alt=sse' : ''}`
    return this.send(url, call, (token) => ({ method: 'POST', headers: this.headers(token, call), body }))
  }

  /** GET `{base}/v1internal/{name}`: a long-running operation by name (`operations/…`). */
  getOperation(name: string): Promise<Response> {
    return this.send(`${this.base}/${name}`, {}, (token) => ({ method: 'GET', headers: this.headers(token, {}) }))
  }

  /** POSTs and parses a JSON object answer. */
  async postJson(method: string, body: unknown): Promise<Record<string, unknown>> {
    return readObject(await this.post(method, JSON.stringify(body)), this.options.maxBytes)
  }

  private async send(url: string, call: CodeAssistCall, init: (token: Token) => UpstreamInit): Promise<Response> {
    const { fetch, now, store } = this.options
    const fetchOptions = { timeoutMs: call.timeoutMs ?? this.options.timeoutMs, fetch, ...(call.signal ? { signal: call.signal } : {}) }
    const response = await sendAuthorized(store.tokens, (token) => upstreamFetch(url, init(token), fetchOptions))
    if (response.ok) return response
    throw decodeCodeAssistError(response.status, await readCappedText(response, this.options.maxBytes), response.headers, now())
  }

  private headers(token: Token, call: CodeAssistCall): Record<string, string> {
    const product = call.model === undefined ? `GeminiCLI/${CLI_VERSION}` : `GeminiCLI/${CLI_VERSION}/${call.model}`
    return {
      authorization: `Bearer ${token.accessToken}`,
      'content-type': 'application/json',
      accept: call.stream ? 'text/event-stream' : 'application/json',
      'user-agent': `${product} (${process.platform}; ${process.arch})`,
      'x-goog-api-client': GOOG_API_CLIENT,
    }
  }
}

/** Setup replies (onboarding, operations) are small JSON objects. */
const SETUP_REPLY_MAX_BYTES = 1024 * 1024

export async function readObject(response: Response, maxBytes = SETUP_REPLY_MAX_BYTES): Promise<Record<string, unknown>> {
  const value = parseJsonObject(await readCappedText(response, maxBytes))
  if (value !== undefined) return value
  throw badGateway('Code Assist answered with something other than a JSON object')
}
