// `npm run bench`: the fake upstream, the plain Bun proxy and the gateway (source, and the
// binary when dist/switchboard exists) on loopback; every scenario measured against every
// target, interleaved, for BENCH_ROUNDS rounds of BENCH_SECONDS per run; then memory with
// open streams, startup, a table, the verdict per target and bench/results/<time>.json.
// BENCH_SCENARIOS=id,id runs only those scenarios.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chooseLoadGenerator } from './load.ts'
import { measureRun, summarise, type RunRecord } from './measure.ts'
import { NoiseGuard } from './noise.ts'
import { holdIdleConnections, holdStreams, measureStartup, timeToFirstByte, type OpenStreamsResult, type StartupResult } from './probes.ts'
import { describeMachine, renderPoolCurve, renderTable, renderVerdicts, writeResults } from './report.ts'
import { buildScenarios, chooseScenarios, HEADERS, OPENAI_SLOW_BODY, requestFor, type Scenario, type Target } from './scenarios.ts'
import { detectPinning, pinSelf, rssMb, type Server } from './servers.ts'
import { findBinary, startFleet, type Build, type Fleet } from './setup.ts'
import { judge, PEERS_AT_32_CONNECTIONS, type BuildFacts, type Summary } from './targets.ts'

const settings = {
  seconds: positive('BENCH_SECONDS', 3),
  rounds: positive('BENCH_ROUNDS', 2),
  ttfbSamples: positive('BENCH_TTFB_SAMPLES', 200),
  startupRuns: positive('BENCH_STARTUP_RUNS', 7),
  openStreams: positive('BENCH_OPEN_STREAMS', 200),
  idleConnections: positive('BENCH_IDLE_CONNECTIONS', 10_000),
  warmupRequests: positive('BENCH_WARMUP_REQUESTS', 1000),
  noise: {
    enabled: process.env.BENCH_QUIET !== '0',
    waitMs: positive('BENCH_QUIET_WAIT_S', 5) * 1000,
    totalWaitMs: positive('BENCH_QUIET_BUDGET_S', 45) * 1000,
    repeats: positive('BENCH_MAX_REPEATS', 6),
  },
}

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${process.env[name]}`)
  return value
}

const progress = (line: string) => console.error(line)

/** One request per scenario and target: the answer must be a 200 that looks right. */
async function check(scenario: Scenario, target: Target): Promise<void> {
  const { body, headers } = requestFor(scenario, target)
  const response = await fetch(target.url, { method: 'POST', body, headers })
  const text = await response.text()
  const expected = target.kind === 'direct' && scenario.directBody ? 'message_stop' : scenario.expect
  if (response.status !== 200 || !text.includes(expected))
    throw new Error(`${scenario.id} ${target.kind}: ${target.url} answered ${response.status}: ${text.slice(0, 300)}`)
}

/** Lets the JIT compile the hot paths before anything is timed. */
async function warmUp(scenario: Scenario, target: Target): Promise<void> {
  const { body, headers } = requestFor(scenario, target)
  let left = settings.warmupRequests
  const worker = async () => {
    while (left-- > 0) await (await fetch(target.url, { method: 'POST', body, headers })).arrayBuffer()
  }
  await Promise.all(Array.from({ length: 16 }, worker))
}

async function openStreams(server: Server, path: string): Promise<OpenStreamsResult> {
  const count = settings.openStreams
  const result = await holdStreams({ url: `${server.url}${path}`, body: OPENAI_SLOW_BODY, headers: HEADERS }, count, server.pid, '[DONE]')
  if (result.completed !== count) throw new Error(`${server.name} ${path}: only ${result.completed} of ${count} open streams completed`)
  return result
}

function gatewayOf(fleet: Fleet, build: Build, instance = 'main'): Server {
  const server = fleet.gateways[build]?.[instance]
  if (!server) throw new Error(`no ${build} ${instance} gateway`)
  return server
}

async function main(): Promise<void> {
  const started = performance.now()
  const phases: Record<string, number> = {}
  let phaseStart = started
  const phase = (name: string) => {
    const now = performance.now()
    phases[name] = Math.round((now - phaseStart) / 100) / 10
    phaseStart = now
  }
  const repo = resolve(import.meta.dir, '..')
  const work = mkdtempSync(join(tmpdir(), 'switchboard-bench-'))
  const pinning = detectPinning()
  pinSelf(pinning)
  const load = chooseLoadGenerator(pinning, work, repo)
  const binary = findBinary(repo)
  const noise = new NoiseGuard(settings.noise)
  const pinningText = pinning.enabled
    ? `taskset: load generator and bench client on CPU ${pinning.loadCore}, servers on CPU ${pinning.serverCore}`
    : 'none (taskset missing, 1 core, or BENCH_PIN=0)'
  const machine = describeMachine(load.name, pinningText)
  progress(`switchboard bench: ${settings.rounds} rounds × ${settings.seconds} s per run, ${machine.loadGenerator}, pinning: ${pinningText}`)
  if (!binary) progress('dist/switchboard not found: measuring the source build only (npm run build first to include the binary)')
  else if (binary.stale) progress(`warning: dist/switchboard (built ${binary.builtAt}) is older than src/: run npm run build`)

  const only = process.env.BENCH_SCENARIOS?.split(',').map((id) => id.trim())
  const specs = chooseScenarios(only, progress)
  const instances = specs.map((spec) => spec.instance)
  const fleet = await startFleet({ repo, work, bun: process.execPath, pinning, instances, ...(binary ? { binary: binary.path } : {}) })
  try {
    await Bun.sleep(300)
    const freshRss = Object.fromEntries(fleet.builds.map((build) => [build, rssMb(gatewayOf(fleet, build).pid)]))
    const scenarios = buildScenarios(specs, fleet)
    for (const scenario of scenarios) for (const target of scenario.targets) await check(scenario, target)
    const warmRss = Object.fromEntries(fleet.builds.map((build) => [build, rssMb(gatewayOf(fleet, build).pid)]))
    phase('start and check')

    const startup: Partial<Record<Build, StartupResult>> = {}
    for (const build of fleet.builds) {
      await noise.settle()
      startup[build] = await measureStartup(fleet.startupArgv[build] as (port: number) => string[], work, settings.startupRuns, pinning)
    }
    phase('startup')
    for (const scenario of scenarios) for (const target of scenario.targets) await warmUp(scenario, target)
    phase('warm-up')

    const context = {
      load,
      seconds: settings.seconds,
      upstreamPid: fleet.upstream.pid,
      upstreamUrl: fleet.upstream.url,
      pids: fleet.all().map((server) => server.pid),
    }
    const records: RunRecord[] = []
    for (let round = 1; round <= settings.rounds; round++) {
      for (const scenario of scenarios) {
        const order = round % 2 === 1 ? scenario.targets : [...scenario.targets].reverse()
        for (const target of order) {
          const record: RunRecord = await noise.run(() => measureRun(context, scenario, target, round))
          if (scenario.stream) record.ttfb = await timeToFirstByte({ url: target.url, ...requestFor(scenario, target) }, settings.ttfbSamples)
          records.push(record)
          const ttfb = record.ttfb ? `, TTFB p50 ${record.ttfb.p50.toFixed(3)} ms` : ''
          const disturbed = `${record.foreignCpuPct.toFixed(0)}% foreign CPU${record.repeated ? ', repeated' : ''}`
          progress(
            `round ${round} ${scenario.id} ${target.kind}: ${Math.round(record.load.rps)} req/s, p50 ${record.load.p50.toFixed(3)} ms${ttfb}, ${record.cpuUsPerRequest.toFixed(0)} µs CPU/req (${disturbed})`,
          )
        }
      }
    }
    phase('rounds')

    const facts: Partial<Record<Build, BuildFacts>> = {}
    const plainOpenStreams = await openStreams(fleet.plain, '/v1/chat/completions')
    for (const build of fleet.builds) {
      const server = gatewayOf(fleet, build)
      const held = {
        passthrough: await openStreams(server, '/v1/chat/completions'),
        converted: await openStreams(server, '/claude-custom/v1/chat/completions'),
      }
      progress(
        `${build}: ${settings.openStreams} open streams: ${held.passthrough.peakRssMb.toFixed(1)} MB passthrough, ${held.converted.peakRssMb.toFixed(1)} MB converted`,
      )
      facts[build] = {
        freshRssMb: freshRss[build] ?? Number.NaN,
        warmRssMb: warmRss[build] ?? Number.NaN,
        afterLoadRssMb: rssMb(server.pid),
        openStreams: held,
        startup: startup[build] as StartupResult,
      }
    }
    phase('open streams')

    const idle = (server: Server) => holdIdleConnections(`${server.url}/health`, settings.idleConnections, server.pid)
    const plainIdle = await idle(fleet.plain)
    for (const build of fleet.builds) {
      const fact = facts[build] as BuildFacts
      fact.idleConnections = await idle(gatewayOf(fleet, build, 'idle'))
      progress(`${build}: ${fact.idleConnections.open} idle keep-alive connections: ${fact.idleConnections.rssMb.toFixed(1)} MB`)
    }
    phase('idle connections')

    const summary: Summary = {}
    for (const scenario of scenarios) {
      summary[scenario.id] = Object.fromEntries(
        scenario.targets.map((target) => [target.kind, summarise(records.filter((record) => record.scenario === scenario.id && record.kind === target.kind))]),
      )
    }
    const verdicts = judge(summary, facts, fleet.builds)
    const elapsedS = (performance.now() - started) / 1000
    const path = writeResults(repo, {
      date: new Date().toISOString(),
      settings,
      machine,
      binary,
      peers: PEERS_AT_32_CONNECTIONS,
      summary,
      facts,
      plainOpenStreams,
      plainIdle,
      verdicts,
      records,
      noise: noise.stats,
      phasesS: phases,
      elapsedS,
    })

    console.log(
      `\nMachine: ${machine.cpu}, ${machine.cores} cores, Linux ${machine.kernel}, Bun ${machine.bun}; load: ${machine.loadGenerator}; pinning: ${machine.pinning}`,
    )
    console.log(
      `${settings.rounds} interleaved rounds × ${settings.seconds} s per run; medians of the rounds. CPU µs/req: the target process's own CPU time per request (the fake upstream's in its own column).\n`,
    )
    console.log(renderTable(scenarios, summary))
    console.log('')
    for (const build of fleet.builds) {
      const fact = facts[build] as BuildFacts
      console.log(
        `${build}: RSS ${fact.freshRssMb.toFixed(1)} MB fresh, ${fact.warmRssMb.toFixed(1)} MB after one request of each scenario, ${fact.afterLoadRssMb.toFixed(1)} MB after all runs; ` +
          `${settings.openStreams} open streams: ${fact.openStreams.passthrough.peakRssMb.toFixed(1)} MB passthrough, ${fact.openStreams.converted.peakRssMb.toFixed(1)} MB converted; ` +
          `${fact.idleConnections?.open ?? 0} idle keep-alive connections: ${fact.idleConnections?.rssMb.toFixed(1) ?? '–'} MB; startup median ${fact.startup.medianMs.toFixed(0)} ms`,
      )
    }
    console.log(
      `plain proxy: ${settings.openStreams} open streams: ${plainOpenStreams.peakRssMb.toFixed(1)} MB; ${plainIdle.open} idle keep-alive connections: ${plainIdle.rssMb.toFixed(1)} MB`,
    )
    const curve = renderPoolCurve(summary, fleet.builds)
    if (curve) console.log(`\n${curve}`)
    console.log(`\n${renderVerdicts(verdicts, fleet.builds)}\n`)
    const quiet = settings.noise.enabled
      ? `; waited ${(noise.stats.waitedMs / 1000).toFixed(0)} s for a quiet machine, repeated ${noise.stats.repeats} disturbed runs`
      : ''
    console.log(`Results: ${path} (${elapsedS.toFixed(0)} s${quiet})`)
  } finally {
    await fleet.stop()
    rmSync(work, { recursive: true, force: true })
  }
}

await main()
