// The fake Anthropic Messages API for integration tests and the benchmark.
export { startFakeAnthropic, type FakeAnthropic, type FakeAnthropicOptions } from './server.ts'
export {
  anthropicError,
  anthropicErrorBody,
  anthropicOverloaded,
  anthropicRateLimited,
  defaultAnthropicError,
  type AnthropicErrorBody,
} from './errors.ts'
export { modelPage, type AnthropicModel, type ModelPage } from './models.ts'
export { anthropicWire, type AnthropicExchange } from './wire.ts'
export type { JournalEntry } from '../shared/journal.ts'
export type { AnswerScenario, Scenario, StreamFaultScenario, ToolCallSpec } from '../shared/scenario.ts'
