// The request journal every fake keeps, so tests can assert what the gateway really sent
// (docs/protocols.md#fakes): which token a replay used, how many calls happened, in what order.

export interface JournalEntry {
  method: string
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string
  query: Record<string, string>
  /** Header names are lower-case (as the Fetch API reports them). */
  headers: Record<string, string>
  rawBody: string
  /** The parsed body; `undefined` when the body is empty or not valid JSON. */
  json: unknown
  /** Arrival time from the fake's clock (ms). */
  at: number
}

function parseJson(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/** Reads the whole request body and describes the request for the journal. */
export async function journalEntry(req: Request, url: URL, at: number): Promise<JournalEntry> {
  const rawBody = req.method === 'GET' || req.method === 'HEAD' ? '' : await req.text()
  return {
    method: req.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: Object.fromEntries(req.headers),
    rawBody,
    json: parseJson(rawBody),
    at,
  }
}
