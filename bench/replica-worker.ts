// One gateway replica for `npm run bench:replicas`, built like the CLI builds it (same
// flags), that also reports on stdout when it shares a member verdict (`changed <ms>`) and
// when it adopts one from another replica (`adopted <ms>`), in epoch ms with sub-ms
// precision, so the bench can time propagation across processes.
import { parseArgs } from '../src/config/cli.ts'
import { loadConfig } from '../src/config/load.ts'
import { createGateway } from '../src/gateway.ts'
import { createLogger } from '../src/log.ts'

const clock = () => (performance.timeOrigin + performance.now()).toFixed(3)
const args = parseArgs(Bun.argv.slice(2))
const loaded = loadConfig({ flags: args.flags })
const gateway = createGateway(loaded, { log: createLogger({ level: 'error' }) })
const replicas = gateway.replicas
if (replicas === undefined) throw new Error('replica-worker needs --redis-url')

const { pools } = replicas
const memberChanged = pools.memberChanged.bind(pools)
pools.memberChanged = (entry) => {
  console.log(`changed ${clock()}`)
  memberChanged(entry)
}
const receive = pools.receive.bind(pools)
pools.receive = (message) => {
  receive(message)
  if (message.t === 'm') console.log(`adopted ${clock()}`)
}

gateway.app.listen({ hostname: '127.0.0.1', port: 0 })
while (!replicas.status().redisReachable) await Bun.sleep(5)
console.log(`listening on http://127.0.0.1:${gateway.app.server?.port}`)
process.on('SIGTERM', () => {
  replicas.stop()
  process.exit(0)
})
