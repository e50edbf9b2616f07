// claude-kiro-oauth: Claude through Kiro / Amazon Q (CodeWhisperer streaming), with the
// Kiro IDE's login. Takes canonical requests; answers with canonical events.
import type { ProviderDefinition } from '../types.ts'
import { createKiroClient } from './client.ts'
import { kiroCredentialProblem } from './credentials.ts'

export const kiroProvider: ProviderDefinition = {
  id: 'claude-kiro-oauth',
  accepts: 'canonical',
  notConfigured: (config) => kiroCredentialProblem(config),
  create: (config, deps) => createKiroClient(config, deps),
}
