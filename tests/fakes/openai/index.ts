// The fake OpenAI-compatible upstream for integration tests and the benchmark.
export { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from './server.ts'
export {
  defaultOpenAIErrorBody,
  maskKey,
  openaiError,
  openaiErrorBody,
  openaiQuotaExceeded,
  openaiRateLimited,
  type OpenAIErrorBody,
} from './errors.ts'
export { openaiWire, type OpenAIExchange } from './wire.ts'
export type { JournalEntry } from '../shared/journal.ts'
export type { AnswerScenario, Scenario, StreamFaultScenario, ToolCallSpec } from '../shared/scenario.ts'
