// `GET /v1/models` as a paged list (docs/protocols.md#anthropic-endpoints-and-auth): `limit` (1..1000, default 20) and
// either `after_id` or `before_id` as cursors; `first_id`/`last_id`/`has_more` describe the page.

export interface AnthropicModel {
  type: 'model'
  id: string
  display_name: string
  created_at: string
}

export interface ModelPage {
  data: AnthropicModel[]
  has_more: boolean
  first_id: string | null
  last_id: string | null
}

export function modelEntry(id: string): AnthropicModel {
  return { type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }
}

/** One page of `ids`, or an error message for a bad `limit`. */
export function modelPage(ids: string[], query: Record<string, string>): ModelPage | string {
  const limit = query.limit === undefined ? 20 : Number(query.limit)
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return 'limit: Input should be between 1 and 1000'
  let start = 0
  let end = ids.length
  if (query.after_id !== undefined) start = ids.indexOf(query.after_id) + 1
  if (query.before_id !== undefined) end = Math.max(0, ids.indexOf(query.before_id))
  const from = query.before_id !== undefined && query.after_id === undefined ? Math.max(start, end - limit) : start
  const to = Math.min(end, from + limit)
  const data = ids.slice(from, to).map(modelEntry)
  const hasMore = query.before_id !== undefined && query.after_id === undefined ? from > start : to < end
  return { data, has_more: hasMore, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null }
}
