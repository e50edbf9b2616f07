// Inline images travel as `data:<media type>;base64,<data>` URLs in OpenAI's dialect.

const DATA_URL = /^data:([^;,]*)((?:;[^;,]*)*),/

export type DataUrlParse = { ok: true; mediaType: string; data: string } | { ok: false; reason: string }

/** Splits a `data:` URL into media type and base64 payload. */
export function parseDataUrl(url: string): DataUrlParse {
  const match = DATA_URL.exec(url)
  if (!match) return { ok: false, reason: 'is not a valid data: URL' }
  const mediaType = match[1] ?? ''
  const parameters = (match[2] ?? '').split(';').slice(1)
  if (mediaType === '') return { ok: false, reason: 'is a data: URL without a media type' }
  if (!parameters.includes('base64')) return { ok: false, reason: 'is a data: URL that is not base64-encoded' }
  return { ok: true, mediaType, data: url.slice(match[0].length) }
}

export function formatDataUrl(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`
}
