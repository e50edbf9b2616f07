// A minimal Prometheus registry: counters, histograms and scrape-time gauges written in the
// text exposition format (0.0.4). Recording is one map lookup by the joined label values and
// a few additions, so it costs well under a microsecond per request; everything else (sorting,
// cumulating buckets, formatting) happens when /metrics is scraped.

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

const escapeLabel = (value: string) => value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')
const escapeHelp = (text: string) => text.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')
const formatNumber = (value: number) => (value === Number.POSITIVE_INFINITY ? '+Inf' : value === Number.NEGATIVE_INFINITY ? '-Inf' : String(value))

function labelText(names: readonly string[], values: readonly string[], extra?: string): string {
  const pairs = names.map((name, index) => `${name}="${escapeLabel(values[index] ?? '')}"`)
  if (extra) pairs.push(extra)
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`
}

/** The map key of a label set: its values joined by a byte no label value contains. */
function keyOf(values: readonly string[]): string {
  let key = values[0] ?? ''
  for (let index = 1; index < values.length; index++) key += `\u0001${values[index]}`
  return key
}

interface Family {
  write(lines: string[]): void
}

function header(lines: string[], name: string, help: string, type: string): void {
  lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`)
}

export class Counter<L extends string> implements Family {
  private readonly series = new Map<string, { values: string[]; value: number }>()

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
  ) {}

  /** `values` in the order of `labelNames`. */
  inc(values: string[], by = 1): void {
    const key = keyOf(values)
    const found = this.series.get(key)
    if (found) found.value += by
    else this.series.set(key, { values, value: by })
  }

  write(lines: string[]): void {
    header(lines, this.name, this.help, 'counter')
    for (const { values, value } of this.series.values()) lines.push(`${this.name}${labelText(this.labelNames, values)} ${formatNumber(value)}`)
  }
}

export class Histogram<L extends string> implements Family {
  private readonly series = new Map<string, { values: string[]; counts: number[]; sum: number; count: number }>()

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly L[],
    /** Upper bounds, ascending; +Inf is implied. */
    readonly buckets: readonly number[],
  ) {}

  observe(values: string[], value: number): void {
    const key = keyOf(values)
    let found = this.series.get(key)
    if (!found) {
      found = { values, counts: new Array<number>(this.buckets.length).fill(0), sum: 0, count: 0 }
      this.series.set(key, found)
    }
    const { counts } = found
    for (let index = 0; index < this.buckets.length; index++) {
      if (value <= (this.buckets[index] as number)) {
        counts[index] = (counts[index] as number) + 1
        break
      }
    }
    found.sum += value
    found.count++
  }

  write(lines: string[]): void {
    header(lines, this.name, this.help, 'histogram')
    for (const { values, counts, sum, count } of this.series.values()) {
      let cumulative = 0
      this.buckets.forEach((bound, index) => {
        cumulative += counts[index] ?? 0
        lines.push(`${this.name}_bucket${labelText(this.labelNames, values, `le="${formatNumber(bound)}"`)} ${cumulative}`)
      })
      lines.push(`${this.name}_bucket${labelText(this.labelNames, values, 'le="+Inf"')} ${count}`)
      lines.push(`${this.name}_sum${labelText(this.labelNames, values)} ${formatNumber(sum)}`)
      lines.push(`${this.name}_count${labelText(this.labelNames, values)} ${count}`)
    }
  }
}

/** A gauge or counter whose samples are read when scraped. */
export class Collected<L extends string> implements Family {
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'gauge' | 'counter',
    readonly labelNames: readonly L[],
    private readonly read: () => Iterable<{ values: string[]; value: number }>,
  ) {}

  write(lines: string[]): void {
    const samples = [...this.read()]
    if (samples.length === 0) return
    header(lines, this.name, this.help, this.type)
    for (const { values, value } of samples) lines.push(`${this.name}${labelText(this.labelNames, values)} ${formatNumber(value)}`)
  }
}

export class Registry {
  private readonly families: Family[] = []

  add<F extends Family>(family: F): F {
    this.families.push(family)
    return family
  }

  text(): string {
    const lines: string[] = []
    for (const family of this.families) family.write(lines)
    return `${lines.join('\n')}\n`
  }
}
