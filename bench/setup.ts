// Brings up everything the bench measures: the fake upstream, the plain Bun proxy, and per
// gateway build (source, and the binary when dist/switchboard exists) three instances:
// `main` (openai-custom → the fake, claude-custom → the fake, local-echo), `pool-one`
// (4 openai-custom members, one failing every 5th request) and `pool-all` (4 members that
// all fail every 5th request), `routes` (`main` plus 50 MODEL_ROUTES entries, the request's
// model matching only the last). Each gateway gets its own temp config and `--port 0`.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { launch, type Pinning, type Server } from './servers.ts'

export const CLIENT_KEY = 'bench-client-key-0123456789'
export const UPSTREAM_KEY = 'bench-upstream-key-0123456789'

export type Build = 'source' | 'binary'
export type Instance = 'main' | 'pool-one' | 'pool-all' | 'routes'

export interface Fleet {
  upstream: Server
  plain: Server
  gateways: Partial<Record<Build, Record<Instance, Server>>>
  builds: Build[]
  /** argv of a gateway build, for the startup probe (main config, given port). */
  startupArgv: Partial<Record<Build, (port: number) => string[]>>
  all(): Server[]
  stop(): Promise<void>
}

export interface FleetOptions {
  repo: string
  work: string
  bun: string
  pinning: Pinning
  binary?: string
}

// Nothing scheduled may fire during a run: health checks once a year, no token refresh.
const QUIET = { HEALTH_CHECK_CRON: '0 0 0 1 1 *', CRON_REFRESH_TOKEN: false, PROMPT_LOG_MODE: 'none' }

/** 49 globs and exact names the bench model does not match, then the one it does: the longest walk. */
function fiftyRoutes(): Record<string, unknown> {
  const routes: Record<string, unknown> = {}
  for (let n = 1; n <= 49; n++)
    routes[n % 2 === 0 ? `vendor-${n}-*` : `alias-${n}`] = n % 3 === 0 ? 'claude-custom' : { provider: 'local-echo', model: `m${n}` }
  routes['bench-*'] = 'openai-custom'
  return routes
}

function writeConfigs(work: string, upstream: string): Record<Instance, string> {
  const member = (uuid: string, segment: string) => ({ uuid, OPENAI_API_KEY: UPSTREAM_KEY, OPENAI_BASE_URL: `${upstream}/${segment}/v1` })
  const pools: Record<Exclude<Instance, 'main' | 'routes'>, unknown> = {
    'pool-one': { 'openai-custom': [member('m1', 'm1'), member('m2', 'm2'), member('m3', 'm3'), member('flaky', 'flaky')] },
    'pool-all': { 'openai-custom': [1, 2, 3, 4].map((n) => member(`flaky${n}`, `flaky${n}`)) },
  }
  const main = {
    ...QUIET,
    HOST: '127.0.0.1',
    MODEL_PROVIDER: 'openai-custom,claude-custom,local-echo',
    OPENAI_API_KEY: UPSTREAM_KEY,
    OPENAI_BASE_URL: `${upstream}/v1`,
    CLAUDE_API_KEY: UPSTREAM_KEY,
    CLAUDE_BASE_URL: upstream,
  }
  const configs: Record<Instance, unknown> = {
    main,
    // The default is local-echo here, so only the last route can send the bench model upstream.
    routes: { ...main, MODEL_PROVIDER: 'local-echo,openai-custom,claude-custom', MODEL_ROUTES: fiftyRoutes() },
    'pool-one': { ...QUIET, HOST: '127.0.0.1', MODEL_PROVIDER: 'openai-custom', PROVIDER_POOLS_FILE_PATH: 'provider_pools.json' },
    'pool-all': { ...QUIET, HOST: '127.0.0.1', MODEL_PROVIDER: 'openai-custom', PROVIDER_POOLS_FILE_PATH: 'provider_pools.json' },
  }
  const paths = {} as Record<Instance, string>
  for (const instance of Object.keys(configs) as Instance[]) {
    const dir = join(work, instance)
    mkdirSync(dir, { recursive: true })
    paths[instance] = join(dir, 'config.json')
    writeFileSync(paths[instance], JSON.stringify(configs[instance], null, 2))
    if (instance === 'pool-one' || instance === 'pool-all') writeFileSync(join(dir, 'provider_pools.json'), JSON.stringify(pools[instance], null, 2))
  }
  return paths
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const { repo, work, bun, pinning } = options
  const started: Server[] = []
  const up = async (name: string, argv: string[], cwd = repo) => {
    const server = await launch({ name, argv, cwd, logDir: work, pinning })
    started.push(server)
    return server
  }
  try {
    const upstream = await up('upstream', [bun, join(repo, 'bench', 'upstream.ts')])
    const plain = await up('plain-proxy', [
      bun,
      join(repo, 'bench', 'plain-proxy.ts'),
      '--upstream',
      `${upstream.url}/v1`,
      '--api-key',
      CLIENT_KEY,
      '--upstream-key',
      UPSTREAM_KEY,
    ])
    const configs = writeConfigs(work, upstream.url)
    const commands: Partial<Record<Build, string[]>> = { source: [bun, join(repo, 'src', 'index.ts')] }
    if (options.binary) commands.binary = [options.binary]
    const builds = Object.keys(commands) as Build[]
    const gateways: Fleet['gateways'] = {}
    const startupArgv: Fleet['startupArgv'] = {}
    for (const build of builds) {
      const command = commands[build] as string[]
      const argv = (config: string, port: number) => [...command, '--config', config, '--api-key', CLIENT_KEY, '--port', String(port)]
      const instances = {} as Record<Instance, Server>
      for (const instance of Object.keys(configs) as Instance[]) {
        const config = configs[instance]
        instances[instance] = await up(`${build}-${instance}`, argv(config, 0), join(work, instance))
      }
      gateways[build] = instances
      startupArgv[build] = (port) => argv(configs.main, port)
    }
    return {
      upstream,
      plain,
      gateways,
      builds,
      startupArgv,
      all: () => [...started],
      stop: () => stopAll(started),
    }
  } catch (error) {
    await stopAll(started)
    throw error
  }
}

async function stopAll(servers: Server[]): Promise<void> {
  await Promise.all(servers.map((server) => server.stop()))
}

/** The binary, and whether a source file is newer than it (then it measures old code). */
export function findBinary(repo: string): { path: string; stale: boolean; builtAt: string } | undefined {
  const path = join(repo, 'dist', 'switchboard')
  if (!existsSync(path)) return undefined
  const built = statSync(path).mtimeMs
  const glob = new Bun.Glob('**/*.ts')
  let newest = 0
  for (const file of glob.scanSync({ cwd: join(repo, 'src') })) newest = Math.max(newest, statSync(join(repo, 'src', file)).mtimeMs)
  return { path, stale: newest > built, builtAt: new Date(built).toISOString() }
}
