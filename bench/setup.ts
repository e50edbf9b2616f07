// Brings up everything the bench measures: the fake upstream, the plain Bun proxy, and per
// gateway build (source, and the binary when dist/switchboard exists) the instances the
// chosen scenarios use: `main` (openai-custom → the fake, claude-custom → the fake,
// local-echo), `pool-one` (4 openai-custom members, one failing every 5th request),
// `pool-all` (4 members that all fail every 5th request), `pool-<n>` (n healthy members,
// for the pool-size curve), `idle` (a fresh `main` for the idle-connections probe) and one per feature (bench/features.ts: `main` plus its keys).
// Each gateway gets its own temp config and `--port 0`.
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { FEATURES } from './features.ts'
import { launch, type Pinning, type Server } from './servers.ts'

export const CLIENT_KEY = 'bench-client-key-0123456789'
export const UPSTREAM_KEY = 'bench-upstream-key-0123456789'

/** Pool sizes of the selection-cost curve. */
export const POOL_SIZES = [1, 10, 100, 1000]

export type Build = 'source' | 'binary'
/** `main`, `pool-one`, `pool-all`, `pool-<n>` or a feature id. */
export type Instance = string

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
  /** Gateway instances to start (`main` always is). */
  instances: Instance[]
}

// Nothing scheduled may fire during a run: health checks once a year, no token refresh.
const QUIET = { HEALTH_CHECK_CRON: '0 0 0 1 1 *', CRON_REFRESH_TOKEN: false, PROMPT_LOG_MODE: 'none' }

interface InstanceFiles {
  config: Record<string, unknown>
  pools?: unknown
}

function instanceFiles(instance: Instance, upstream: string, dir: string): InstanceFiles {
  const member = (uuid: string, segment: string) => ({ uuid, OPENAI_API_KEY: UPSTREAM_KEY, OPENAI_BASE_URL: `${upstream}/${segment}/v1` })
  const main = {
    ...QUIET,
    HOST: '127.0.0.1',
    MODEL_PROVIDER: 'openai-custom,claude-custom,local-echo',
    OPENAI_API_KEY: UPSTREAM_KEY,
    OPENAI_BASE_URL: `${upstream}/v1`,
    CLAUDE_API_KEY: UPSTREAM_KEY,
    CLAUDE_BASE_URL: upstream,
  }
  const pooled = (members: unknown[]): InstanceFiles => ({
    config: { ...QUIET, HOST: '127.0.0.1', MODEL_PROVIDER: 'openai-custom', PROVIDER_POOLS_FILE_PATH: 'provider_pools.json' },
    pools: { 'openai-custom': members },
  })
  // `idle` is a second `main` that serves nothing before the idle-connections probe.
  if (instance === 'main' || instance === 'idle') return { config: main }
  if (instance === 'pool-one') return pooled([member('m1', 'm1'), member('m2', 'm2'), member('m3', 'm3'), member('flaky', 'flaky')])
  if (instance === 'pool-all') return pooled([1, 2, 3, 4].map((n) => member(`flaky${n}`, `flaky${n}`)))
  const size = /^pool-(\d+)$/.exec(instance)?.[1]
  if (size !== undefined) return pooled(Array.from({ length: Number(size) }, (_, i) => member(`m${i}`, 'pool')))
  const feature = FEATURES.find((candidate) => candidate.id === instance)
  if (feature) return { config: { ...main, ...feature.config({ upstream, dir }) } }
  throw new Error(`unknown bench instance ${instance}`)
}

/** Writes each instance's config (and pools file) into its own folder; returns the config paths. */
function writeConfigs(work: string, upstream: string, instances: Instance[]): Record<Instance, string> {
  const paths: Record<Instance, string> = {}
  for (const instance of instances) {
    const dir = join(work, instance)
    mkdirSync(dir, { recursive: true })
    const files = instanceFiles(instance, upstream, dir)
    paths[instance] = join(dir, 'config.json')
    writeFileSync(paths[instance], JSON.stringify(files.config, null, 2))
    if (files.pools) writeFileSync(join(dir, 'provider_pools.json'), JSON.stringify(files.pools, null, 2))
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
    const configs = writeConfigs(work, upstream.url, [...new Set(['main', 'idle', ...options.instances])])
    const commands: Partial<Record<Build, string[]>> = { source: [bun, join(repo, 'src', 'index.ts')] }
    if (options.binary) commands.binary = [options.binary]
    const builds = Object.keys(commands) as Build[]
    const gateways: Fleet['gateways'] = {}
    const startupArgv: Fleet['startupArgv'] = {}
    for (const build of builds) {
      const command = commands[build] as string[]
      const argv = (config: string, port: number, masterKey = CLIENT_KEY) => [...command, '--config', config, '--api-key', masterKey, '--port', String(port)]
      const instances: Record<Instance, Server> = {}
      for (const [instance, config] of Object.entries(configs)) {
        const masterKey = FEATURES.find((feature) => feature.id === instance)?.masterKey
        instances[instance] = await up(`${build}-${instance}`, argv(config, 0, masterKey), join(work, instance))
      }
      gateways[build] = instances
      startupArgv[build] = (port) => argv(configs.main as string, port)
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
