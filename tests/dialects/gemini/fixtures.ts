// Loading the Gemini golden fixtures (tests/fixtures/gemini), and normalising the ids the
// codec has to invent so they compare equal.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'

export const FIXTURES = join(import.meta.dir, '../../fixtures/gemini')

export function fixtureNames(folder: string, extension: string): string[] {
  return readdirSync(join(FIXTURES, folder))
    .filter((name) => name.endsWith(extension))
    .map((name) => name.slice(0, -extension.length))
    .sort()
}

export async function readJson<T>(folder: string, file: string): Promise<T> {
  return (await Bun.file(join(FIXTURES, folder, file)).json()) as T
}

export async function readText(folder: string, file: string): Promise<string> {
  return Bun.file(join(FIXTURES, folder, file)).text()
}

/** Tool-call ids generated with randomId('call_') become `call_<generated>`. */
export function withGeneratedIds<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/"call_[0-9a-f]{24}"/g, '"call_<generated>"')) as T
}
