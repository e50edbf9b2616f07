// Credential files written by other tools (the Gemini CLI, Qwen Code): read without
// changing them, and write refreshed tokens back atomically, readable by the owner only.
import { writeFileAtomic } from '../../fs/atomic-write.ts'
import { isRecord } from '../../json/read.ts'
import { CREDENTIAL_FILE_MAX_BYTES, FileReadError, readBoundedText } from '../../fs/read-bounded.ts'

/** Where the credential JSON comes from: a file, or inline text (e.g. a base64 config value, decoded). */
export type CredentialSource = { kind: 'file'; path: string } | { kind: 'inline'; name: string; text: string }

/** Why a credential cannot be used. `detail` never contains credential content. */
export interface CredentialProblem {
  kind: 'missing' | 'unreadable' | 'corrupt' | 'invalid'
  detail: string
}

export type CredentialRead = { ok: true; raw: Record<string, unknown> } | { ok: false; problem: CredentialProblem }

export function readCredential(source: CredentialSource): CredentialRead {
  if (source.kind === 'inline') return parseCredentialJson(source.text)
  let text: string
  try {
    text = readBoundedText(source.path, CREDENTIAL_FILE_MAX_BYTES)
  } catch (error) {
    if (error instanceof FileReadError && error.code === 'ENOENT') return { ok: false, problem: { kind: 'missing', detail: 'no such file' } }
    return { ok: false, problem: { kind: 'unreadable', detail: error instanceof Error ? error.message : String(error) } }
  }
  return parseCredentialJson(text)
}

function parseCredentialJson(text: string): CredentialRead {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // The parser's message may quote the text, which holds tokens: say only what is wrong.
    return { ok: false, problem: { kind: 'corrupt', detail: 'not valid JSON' } }
  }
  if (!isRecord(value)) return { ok: false, problem: { kind: 'corrupt', detail: 'not a JSON object' } }
  return { ok: true, raw: value }
}

export function writeCredentialFile(path: string, raw: Record<string, unknown>): void {
  writeFileAtomic(path, `${JSON.stringify(raw, null, 2)}\n`, 0o600)
}
