// Identifier shapes the Anthropic wire expects.
import { randomId } from '../../chat/ids.ts'

/** The `msg_…` id a client sees: kept when it already is one, else derived from the upstream id. */
export function anthropicMessageId(id: string): string {
  if (id.startsWith('msg_')) return id
  const cleaned = id.replace(/[^A-Za-z0-9_-]/g, '')
  return cleaned === '' ? randomId('msg_') : `msg_${cleaned}`
}

/**
 * Anthropic rejects tool_use ids outside `[A-Za-z0-9_-]`; other upstreams use ids such as
 * `functions.get_weather:0`. The same mapping applies to tool_use and tool_result, so pairs
 * still match.
 */
export function upstreamToolUseId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_')
}

/** A tool call id for a client: upstreams that have none (empty) get a fresh `toolu_…`. */
export function clientToolUseId(id: string): string {
  return id === '' ? randomId('toolu_') : id
}
