// Cutting answer text into stream pieces the way real upstreams do: several pieces per answer,
// tool-call arguments cut at arbitrary places (inside strings and escapes), never inside a
// UTF-16 surrogate pair (real servers cut at token boundaries, which keep characters whole).

const MAX_PIECE_CHARS = 16_384
const FILLER = 'lorem ipsum dolor sit amet, consectetur adipiscing elit. '

/** Moves a cut off the middle of a surrogate pair. */
function safeCut(text: string, at: number): number {
  if (at <= 0 || at >= text.length) return at
  const before = text.charCodeAt(at - 1)
  return before >= 0xd800 && before <= 0xdbff ? at + 1 : at
}

/**
 * Splits text into about four pieces (at most 16 KiB each), or into at least `minPieces`
 * pieces when the text has that many characters. Empty text gives no pieces.
 */
export function splitText(text: string, minPieces = 0): string[] {
  if (text === '') return []
  let size = Math.min(MAX_PIECE_CHARS, Math.max(1, Math.ceil(text.length / 4)))
  if (minPieces > 0) size = Math.min(size, Math.max(1, Math.floor(text.length / minPieces)))
  const pieces: string[] = []
  let start = 0
  while (start < text.length) {
    const end = safeCut(text, Math.min(text.length, start + size))
    pieces.push(text.slice(start, end))
    start = end
  }
  return pieces
}

/**
 * Cuts a JSON text into fragments of 1..12 characters chosen by `random`, at least two when
 * possible (so no single fragment parses), and always right after the first backslash (so a
 * consumer that parses fragments on their own trips over a split escape).
 */
export function fragmentJson(json: string, random: () => number): string[] {
  const cuts = new Set<number>()
  const backslash = json.indexOf('\\')
  if (backslash >= 0) cuts.add(backslash + 1)
  let at = 0
  while (at < json.length) {
    at += 1 + Math.floor(random() * 12)
    if (at < json.length) cuts.add(at)
  }
  if (cuts.size === 0 && json.length > 1) cuts.add(Math.ceil(json.length / 2))
  const ordered = [...cuts].map((cut) => safeCut(json, cut)).sort((a, b) => a - b)
  const fragments: string[] = []
  let start = 0
  for (const cut of ordered) {
    if (cut <= start || cut >= json.length) continue
    fragments.push(json.slice(start, cut))
    start = cut
  }
  fragments.push(json.slice(start))
  return fragments
}

/** ASCII text of exactly `bytes` bytes. */
export function fillerText(bytes: number): string {
  const target = Math.max(0, Math.floor(bytes))
  return FILLER.repeat(Math.ceil(target / FILLER.length)).slice(0, target)
}

/** A cheap, deterministic token estimate: one token per four characters. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4)
}
