// Reads a JSON request body once: size-limited (413), UTF-8 checked, parsed (400), and
// kept as the exact text for same-dialect passthrough.
import { GatewayError, badRequest } from '../errors/gateway-error.ts'

export interface JsonBody {
  raw: string
  value: unknown
}

// Stateless between calls (no `stream` option), so one decoder serves every request.
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true })

export async function readJsonBody(request: Request, maxBytes: number): Promise<JsonBody> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN)
  if (declared > maxBytes) throw tooLarge(maxBytes)
  const bytes = await request.bytes()
  if (bytes.length > maxBytes) throw tooLarge(maxBytes)
  let raw: string
  try {
    raw = STRICT_UTF8.decode(bytes)
  } catch {
    throw badRequest('request body is not valid UTF-8')
  }
  if (raw.trim() === '') throw badRequest('request body is empty; send a JSON object')
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch (error) {
    throw badRequest(`request body is not valid JSON: ${(error as Error).message}`)
  }
  // Schema checks slow down superlinearly on pathological nesting: refuse it up front.
  if (deeperThan(value, MAX_DEPTH)) throw badRequest(`request body nests deeper than ${MAX_DEPTH} levels`)
  return { raw, value }
}

/** No real chat request comes near this; tool JSON schemas nest a few dozen levels at most. */
const MAX_DEPTH = 128

function deeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (limit === 0) return true
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    if (deeperThan(child, limit - 1)) return true
  }
  return false
}

function tooLarge(maxBytes: number): GatewayError {
  return new GatewayError(413, 'payload_too_large', `request body is larger than ${maxBytes} bytes (MAX_REQUEST_BODY_BYTES)`, { scope: 'request' })
}
