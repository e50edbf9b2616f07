// The standard process metrics (CPU, resident memory, heap, open and allowed fds, start
// time), read at scrape time. Written here rather than taken from prom-client's defaults,
// whose Node.js gauges `promtool check metrics` rejects (`*_total` gauges) and which keep an
// event-loop monitor running between scrapes.
import { readdirSync, readFileSync } from 'node:fs'
import { Counter, Gauge, type Registry } from 'prom-client'

function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length
  } catch {
    return undefined
  }
}

function maxFds(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((row) => row.startsWith('Max open files'))
    const soft = line?.split(/\s{2,}/)[1]
    return soft && /^\d+$/.test(soft) ? Number(soft) : undefined
  } catch {
    return undefined
  }
}

export function registerProcessMetrics(registry: Registry): void {
  const registers = [registry]
  const startSeconds = Math.round(Date.now() / 1000 - process.uptime())
  const gauge = (name: string, help: string, read: () => number | undefined) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        const value = read()
        if (value !== undefined) this.set(value)
      },
    })
  new Counter({
    name: 'process_cpu_seconds_total',
    help: 'User and system CPU time spent, in seconds',
    registers,
    collect() {
      const { user, system } = process.cpuUsage()
      this.reset()
      this.inc((user + system) / 1e6)
    },
  })
  gauge('process_resident_memory_bytes', 'Resident memory size in bytes', () => process.memoryUsage.rss())
  gauge('process_heap_bytes', 'JavaScript heap in use, in bytes', () => process.memoryUsage().heapUsed)
  gauge('process_open_fds', 'Open file descriptors', openFds)
  gauge('process_max_fds', 'Maximum number of open file descriptors', maxFds)
  gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch, in seconds', () => startSeconds)
}
