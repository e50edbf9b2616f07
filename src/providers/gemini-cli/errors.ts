// Code Assist errors are Google RPC errors: the Gemini dialect classifies them (kind, scope,
// RetryInfo / daily-quota retry hints). Only Code Assist asks users to verify their
// account; that error gets the link to do it.
import { classifyGoogleError, googleErrorFacts } from '../../dialects/gemini/error.ts'
import { type GatewayError, forbidden } from '../../errors/gateway-error.ts'
import { isRecord, parseJson } from '../../json/read.ts'

export function decodeCodeAssistError(status: number, bodyText: string, headers: Headers, now: number): GatewayError {
  const body = parseJson(bodyText) ?? bodyText
  if (status === 403 && googleErrorFacts(status, body, headers, now).reason === 'VALIDATION_REQUIRED') {
    const link = helpLink(body)
    return forbidden(`Google requires this account to be verified before Gemini Code Assist can be used${link === undefined ? '' : `: visit ${link}`}`, {
      upstreamStatus: status,
    })
  }
  return classifyGoogleError(status, body, headers, now)
}

/** The first `google.rpc.Help` link of the error. */
function helpLink(body: unknown): string | undefined {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined
  const details = Array.isArray(error?.details) ? error.details.filter(isRecord) : []
  for (const detail of details) {
    if (!Array.isArray(detail.links)) continue
    for (const link of detail.links) if (isRecord(link) && typeof link.url === 'string') return link.url
  }
  return undefined
}
