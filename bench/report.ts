// The bench's output: one Markdown table of every scenario and target, the verdict per
// target, and the JSON file with everything (settings, machine, raw runs).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, release } from 'node:os'
import { join } from 'node:path'
import type { Cell } from './measure.ts'
import { NOISY_FOREIGN_PCT } from './noise.ts'
import type { Scenario } from './scenarios.ts'
import { POOL_SIZES } from './setup.ts'
import type { Summary, Verdict } from './targets.ts'

export interface Machine {
  cpu: string
  cores: number
  kernel: string
  bun: string
  loadGenerator: string
  pinning: string
}

export function describeMachine(loadGenerator: string, pinning: string): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: navigator.hardwareConcurrency,
    kernel: release(),
    bun: Bun.version,
    loadGenerator: versionOf(loadGenerator),
    pinning,
  }
}

function versionOf(tool: string): string {
  if (tool === 'wrk') {
    const out = Bun.spawnSync(['wrk', '-v'], { stdout: 'pipe', stderr: 'pipe' })
    return (`${out.stdout.toString()}${out.stderr.toString()}`.match(/wrk \S+/)?.[0] ?? 'wrk').trim()
  }
  try {
    const manifest = JSON.parse(readFileSync(join(import.meta.dir, '..', 'node_modules', 'autocannon', 'package.json'), 'utf8')) as { version: string }
    return `autocannon ${manifest.version} (node ${Bun.spawnSync(['node', '--version']).stdout.toString().trim()})`
  } catch {
    return tool
  }
}

const num = (value: number) => Math.round(value).toLocaleString('en-US')
const msText = (value: number | undefined) => (value === undefined || Number.isNaN(value) ? '–' : value < 1 ? value.toFixed(3) : value.toFixed(2))

function ratioText(cell: Cell, base: Cell | undefined, label: string): string {
  return base ? `${((100 * cell.rps) / base.rps).toFixed(0)}% of ${label}` : '–'
}

export function renderTable(scenarios: Scenario[], summary: Summary): string {
  const header =
    '| scenario | target | conns | req/s (min–max) | p50 ms | p90 ms | p99 ms | TTFB p50 ms | CPU µs/req | upstream CPU µs/req | RSS MB | vs direct | vs reference | notes |'
  const lines = [header, `|${'---|'.repeat(14)}`]
  for (const scenario of scenarios) {
    const cells = summary[scenario.id] ?? {}
    for (const target of scenario.targets) {
      const cell = cells[target.kind]
      if (!cell) continue
      const gateway = target.kind === 'source' || target.kind === 'binary'
      const reference = scenario.reference ? summary[scenario.reference]?.[target.kind] : cells.plain
      const notes = [
        cell.failoverPct !== undefined ? `failovers ${cell.failoverPct.toFixed(1)}% of requests` : '',
        cell.memberSharePct
          ? `upstream calls ${Object.entries(cell.memberSharePct)
              .map(([name, share]) => `${name} ${share.toFixed(0)}%`)
              .join(', ')}`
          : '',
        cell.non2xx + cell.errors > 0 ? `${cell.non2xx} non-2xx, ${cell.errors} socket errors` : '',
        cell.foreignCpuPctMax > NOISY_FOREIGN_PCT ? `noisy: ${cell.foreignCpuPctMax.toFixed(0)}% foreign CPU` : '',
      ].filter(Boolean)
      lines.push(
        [
          '',
          scenario.id,
          target.kind,
          scenario.connections,
          `${num(cell.rps)} (${num(cell.rpsMin)}–${num(cell.rpsMax)})`,
          msText(cell.p50),
          msText(cell.p90),
          msText(cell.p99),
          msText(cell.ttfbP50),
          cell.cpuUsPerRequest.toFixed(0),
          target.kind === 'direct' ? '–' : cell.upstreamCpuUsPerRequest.toFixed(0),
          cell.rssMb.toFixed(0),
          target.kind === 'direct' || !cells.direct ? '–' : ratioText(cell, cells.direct, 'direct'),
          gateway && reference ? ratioText(cell, reference, scenario.reference ?? 'plain') : '–',
          notes.join('; ') || '',
          '',
        ]
          .join(' | ')
          .trim(),
      )
    }
  }
  return lines.join('\n')
}

/** req/s and CPU per request by pool size, each as a share of the pool of 1 (empty when no pool scenario ran). */
export function renderPoolCurve(summary: Summary, builds: string[]): string {
  const lines: string[] = []
  for (const build of builds) {
    const cells = POOL_SIZES.flatMap((size) => {
      const cell = summary[`pool-${size}`]?.[build as keyof Summary[string]]
      return cell ? [{ size, cell }] : []
    })
    const base = summary['pool-1']?.[build as keyof Summary[string]]
    if (cells.length === 0) continue
    const points = cells.map(({ size, cell }) => {
      const share = base ? ` (${((100 * cell.rps) / base.rps).toFixed(0)}%)` : ''
      return `${size}: ${num(cell.rps)} req/s${share}, ${cell.cpuUsPerRequest.toFixed(0)} µs CPU/req`
    })
    lines.push(`pool-size curve, ${build}: ${points.join('; ')}`)
  }
  return lines.join('\n')
}

export function renderVerdicts(verdicts: Verdict[], builds: string[]): string {
  const lines = [`| target | ${builds.join(' | ')} |`, `|---|${builds.map(() => '---|').join('')}`]
  for (const verdict of verdicts) {
    const cells = builds.map((build) => {
      const result = verdict.results[build as keyof typeof verdict.results]
      return result ? `${result.met ? 'met' : '**missed**'}: ${result.detail}` : '–'
    })
    lines.push(`| ${verdict.target} | ${cells.join(' | ')} |`)
  }
  return lines.join('\n')
}

export function writeResults(repo: string, data: unknown): string {
  const dir = join(repo, 'bench', 'results')
  mkdirSync(dir, { recursive: true })
  const path = join(
    dir,
    `${new Date()
      .toISOString()
      .replaceAll(':', '-')
      .replace(/\.\d+Z$/, 'Z')}.json`,
  )
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`)
  return path
}
