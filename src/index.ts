#!/usr/bin/env bun
// CLI entry: parse flags, load config, start the gateway, print the banner, stop cleanly
// on SIGINT/SIGTERM. A user mistake exits 2 with one line, never a stack trace.
import { helpText, parseArgs } from './config/cli.ts'
import { newKeyEntry } from './keys/new-key.ts'
import { ConfigError, loadConfig, SHORT_KEY_LENGTH, type LoadedConfig } from './config/load.ts'
import { createGateway, VERSION } from './gateway.ts'
import { PoolsError } from './pools/index.ts'

function fail(message: string): never {
  console.error(`switchboard: ${message}`)
  process.exit(2)
}

function banner(loaded: LoadedConfig, url: string, sizes: Record<string, number | undefined>): string {
  const pools = Object.entries(sizes)
    .filter(([, size]) => size)
    .map(([id, size]) => `${id} (${size})`)
    .join(', ')
  const lines = [
    `switchboard ${VERSION} listening on ${url}`,
    `  default provider: ${loaded.providers[0]}   configured: ${pools || 'none'}`,
    `  docs: ${url}/swagger   health: ${url}/health`,
  ]
  const key = String(loaded.config.REQUIRED_API_KEY)
  if (!loaded.generatedKey && key.length < SHORT_KEY_LENGTH)
    lines.push(`  warning: REQUIRED_API_KEY has only ${key.length} characters and is easy to guess; use ${SHORT_KEY_LENGTH} or more`)
  if (loaded.generatedKey) lines.push(`  API key (generated for this run; set REQUIRED_API_KEY or --api-key to fix one): ${loaded.config.REQUIRED_API_KEY}`)
  return lines.join('\n')
}

/** The startup line as a JSON event; the generated key (never logged) goes to stderr on its own. */
function startupEvent(gateway: ReturnType<typeof createGateway>, loaded: LoadedConfig, url: string): void {
  const configured = Object.entries(gateway.pools.sizes())
    .filter(([, size]) => size)
    .map(([id]) => id)
    .join(',')
  gateway.log.info(`switchboard ${VERSION} listening on ${url}`, { event: 'startup', version: VERSION, url, default_provider: loaded.providers[0], configured })
  if (loaded.generatedKey) console.error(`API key (generated for this run; set REQUIRED_API_KEY or --api-key to fix one): ${loaded.config.REQUIRED_API_KEY}`)
}

async function main(): Promise<void> {
  let loaded: LoadedConfig
  let gateway: ReturnType<typeof createGateway>
  // `switchboard keys`: a new client key, printed as an entry for the client keys file.
  if (Bun.argv[2] === 'keys') {
    console.log(newKeyEntry(Bun.argv[3]))
    return
  }
  try {
    const args = parseArgs(Bun.argv.slice(2))
    if (args.help) {
      console.log(helpText(VERSION))
      return
    }
    if (args.version) {
      console.log(VERSION)
      return
    }
    loaded = loadConfig({ flags: args.flags, ...(args.configPath ? { configPath: args.configPath } : {}) })
    gateway = createGateway(loaded, { otelEnv: process.env })
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PoolsError) fail(error.message)
    throw error
  }
  for (const key of loaded.unknownKeys) gateway.log.warn(`config key ${key} is not used by switchboard; ignored`)
  for (const id of loaded.providers) {
    if (!gateway.pools.isConfigured(id)) gateway.log.warn(`${id} is not configured; requests to it answer 503 until it is`)
  }
  const { config } = loaded
  // Tracing (when OTEL_* asks for it) is set up before the first request can arrive.
  await gateway.observer.ready
  try {
    gateway.app.listen({ hostname: config.HOST, port: config.SERVER_PORT })
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE')
      fail(`port ${config.SERVER_PORT} is in use on ${config.HOST}; stop the other server or pick another --port`)
    fail(`cannot listen on ${config.HOST}:${config.SERVER_PORT}: ${error instanceof Error ? error.message : String(error)}`)
  }
  gateway.pools.start()
  const server = gateway.app.server
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST
  const url = `http://${host}:${server?.port}`
  if (config.LOG_FORMAT === 'json') startupEvent(gateway, loaded, url)
  else console.log(banner(loaded, url, gateway.pools.sizes()))

  let stopping = false
  const shutdown = async () => {
    if (stopping) return
    stopping = true
    // Keep listening while draining: /health answers 503 "draining" and new work gets a 503,
    // so a load balancer moves traffic elsewhere instead of seeing refused connections.
    const streams = gateway.runtime.drain.streams
    gateway.log.info(`shutting down: ${streams} streamed answer(s) running, waiting up to ${config.SHUTDOWN_TIMEOUT_MS} ms`)
    const { cut } = await gateway.runtime.drain.close(config.SHUTDOWN_TIMEOUT_MS)
    if (cut > 0) gateway.log.warn(`shutting down: ended ${cut} streamed answer(s) with an error event`)
    await gateway.pools.stop()
    gateway.keys?.stop()
    gateway.replicas?.stop()
    await gateway.app.stop(true)
    await gateway.observer.shutdown()
    process.exit(0)
  }
  process.on('SIGINT', shutdown)
  process.on('SIGTERM', shutdown)
}

main()
