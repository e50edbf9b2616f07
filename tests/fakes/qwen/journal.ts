// What the fake servers received, for tests to assert on.

export interface JournalEntry {
  origin: 'qwen-oauth' | 'qwen-chat'
  method: string
  path: string
  headers: Headers
  body: string
  json?: unknown
  form?: URLSearchParams
}

export async function recordRequest(origin: JournalEntry['origin'], request: Request): Promise<JournalEntry> {
  const body = await request.text()
  const entry: JournalEntry = { origin, method: request.method, path: new URL(request.url).pathname, headers: request.headers, body }
  if ((request.headers.get('content-type') ?? '').includes('application/x-www-form-urlencoded')) entry.form = new URLSearchParams(body)
  else if (body !== '') {
    try {
      entry.json = JSON.parse(body)
    } catch {
      // Not JSON: the raw body is in the journal all the same.
    }
  }
  return entry
}
