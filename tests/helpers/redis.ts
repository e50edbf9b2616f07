// The replica tests' Redis: a real redis-server per test file (see redis-server.ts), and a
// `describe` that skips, with a warning, where redis-server is not installed.
import { describe } from 'bun:test'

export { startRedis, type TestRedis } from './redis-server.ts'

const installed = Bun.which('redis-server') !== null
if (!installed) console.warn("redis-server not found (Debian package 'redis-server'; .ci/run installs it): the replica tests are skipped")
/** `describe`, skipped (with a warning) where redis-server is not installed. */
export const describeWithRedis = describe.skipIf(!installed)
