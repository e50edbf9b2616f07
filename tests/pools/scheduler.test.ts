import { describe, expect, test } from 'bun:test'
import { createLogger } from '../../src/log.ts'
import { cronPatternProblem, systemScheduler } from '../../src/pools/scheduler.ts'

describe('system scheduler', () => {
  test('validates croner patterns, seconds field included', () => {
    expect(cronPatternProblem('0 */10 * * * *')).toBeUndefined()
    expect(cronPatternProblem('*/5 * * * *')).toBeUndefined()
    expect(cronPatternProblem('every ten minutes')).toContain('CronPattern')
  })

  test('after() runs once and can be cancelled', async () => {
    const scheduler = systemScheduler(createLogger({ level: 'silent' }))
    const ran: string[] = []
    const cancel = scheduler.after(1, () => ran.push('cancelled'))
    cancel()
    await new Promise<void>((resolve) => scheduler.after(1, () => resolve(void ran.push('ran'))))
    expect(ran).toEqual(['ran'])
  })
})
