// `switchboard keys [name]`: a fresh random client key and the two ways to write it in the
// client keys file (the key itself, or only its hash so the file holds no secret).
import { randomBytes } from 'node:crypto'
import { sha256Hex } from './keys-file.ts'

export function newKeyEntry(name = 'new-key', random: (size: number) => Buffer = randomBytes): string {
  const key = `sk-sb-${random(24).toString('base64url')}`
  return [
    `key (give it to the client, shown once): ${key}`,
    '',
    'entry with the key:',
    JSON.stringify({ name, key }),
    '',
    'entry with only its hash (the file then holds no secret):',
    JSON.stringify({ name, keyHash: `sha256:${sha256Hex(key)}` }),
    '',
    'add one of them to the "keys" list of CLIENT_KEYS_FILE_PATH; limits: rpm, tpm, dailyTokens, providers, expiresAt, disabled',
  ].join('\n')
}
