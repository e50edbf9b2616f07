// The fake OpenAI Responses API upstream for integration tests.
export { lastUserInput, startFakeResponses, type FakeResponses, type FakeResponsesOptions } from './server.ts'
export { responsesWire, type ResponsesExchange } from './wire.ts'
