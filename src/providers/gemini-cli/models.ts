// Code Assist has no model-list call: these are the Gemini models it serves to the Gemini CLI.
import type { ModelInfo } from '../types.ts'

const INPUT_TOKENS = 1_048_576
const OUTPUT_TOKENS = 65_536

const model = (id: string, displayName: string): ModelInfo => ({
  id,
  displayName,
  ownedBy: 'google',
  inputTokenLimit: INPUT_TOKENS,
  outputTokenLimit: OUTPUT_TOKENS,
})

export const GEMINI_CLI_MODELS: readonly ModelInfo[] = [
  model('gemini-2.5-pro', 'Gemini 2.5 Pro'),
  model('gemini-2.5-flash', 'Gemini 2.5 Flash'),
  model('gemini-2.5-flash-lite', 'Gemini 2.5 Flash-Lite'),
  model('gemini-3-pro-preview', 'Gemini 3 Pro Preview'),
  model('gemini-3-flash-preview', 'Gemini 3 Flash Preview'),
]

/** The model a health probe uses when the member names none: the cheapest one every tier has. */
export const GEMINI_CLI_PROBE_MODEL = 'gemini-2.5-flash'
