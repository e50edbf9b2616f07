// The chat base URL comes from the token's resource_url (a bare host such as
// "portal.qwen.ai", or a URL); QWEN_BASE_URL applies only when the token names none
// (docs/protocols.md#qwen-endpoint).

/** `https://` unless a scheme is given, `/v1` unless already there. */
export function qwenChatBaseUrl(resourceUrl: string | undefined, fallback: string): string {
  const chosen = resourceUrl?.trim() || fallback
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(chosen) ? chosen : `https://${chosen}`
  const trimmed = withScheme.replace(/\/+$/, '')
  return trimmed.endsWith('/v1') ? trimmed : `${trimmed}/v1`
}
