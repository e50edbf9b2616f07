// What the fake servers received, for tests to assert on.

export interface JournalEntry {
  origin: string
  method: string
  path: string
  query: URLSearchParams
  headers: Headers
  body: string
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown
  /** The body parsed as a form, when it is form-encoded. */
  form?: URLSearchParams
}

export async function recordRequest(origin: string, request: Request): Promise<JournalEntry> {
  const url = new URL(request.url)
  const body = await request.text()
  const entry: JournalEntry = { origin, method: request.method, path: url.pathname, query: url.searchParams, headers: request.headers, body }
  const type = request.headers.get('content-type') ?? ''
  if (type.includes('application/x-www-form-urlencoded')) entry.form = new URLSearchParams(body)
  else if (body !== '') {
    try {
      entry.json = JSON.parse(body)
    } catch {
      // Not JSON: the raw body is in the journal all the same.
    }
  }
  return entry
}
