// Registers the whole matrix for one provider: every test group for each of the four
// client dialects, against one fake and one gateway started once for the file.
import { afterAll, beforeAll, describe } from 'bun:test'
import { DIALECTS, type Dialect } from '../../../../src/dialects/types.ts'
import type { ProviderId } from '../../../../src/providers/types.ts'
import { MatrixContext } from './context.ts'
import { contentTests } from './suite-content.ts'
import { conversationTests } from './suite-conversation.ts'
import { listingTests } from './suite-listings.ts'
import { optionTests } from './suite-options.ts'
import { responsesTests } from './suite-responses.ts'
import { operatorTests } from './suite-operator.ts'
import { streamTests } from './suite-streams.ts'
import { toolTests } from './suite-tools.ts'
import type { Upstream } from './upstream.ts'

/** What must be known before the fake runs, because it decides which tests exist. */
export interface MatrixSpec {
  provider: ProviderId
  /** The wire dialect the provider speaks (same-dialect clients are passed through); none for Kiro. */
  dialect?: Dialect
  /** The provider can end an answer at the token limit. */
  lengthStop: boolean
  /** The provider can take an http(s) image URL. */
  httpImages: boolean
  /** The fake can answer with a content-filter stop (Upstream.answerFiltered). */
  contentFilter?: boolean
  start(): Promise<Upstream>
}

export function defineMatrix(spec: MatrixSpec): void {
  const ctx = new MatrixContext()
  beforeAll(async () => ctx.start(await spec.start()))
  afterAll(() => ctx.stop())

  for (const dialect of DIALECTS) {
    describe(`${dialect} client → ${spec.provider}`, () => {
      conversationTests(ctx, dialect, spec)
      toolTests(ctx, dialect, spec)
      optionTests(ctx, dialect, spec)
      streamTests(ctx, dialect)
      contentTests(ctx, dialect, spec)
      operatorTests(ctx, dialect)
      if (dialect === 'responses') responsesTests(ctx)
    })
  }
  describe(`${spec.provider} model lists and token counts`, () => listingTests(ctx))
}
