// The standard process metrics (CPU, resident memory, heap, open and allowed fds, start
// time), read when /metrics is scraped.
import { readdirSync, readFileSync } from 'node:fs'
import { Collected, type Registry } from './prometheus.ts'

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

const one = (value: number | undefined) => (value === undefined ? [] : [{ values: [], value }])

export function registerProcessMetrics(registry: Registry): void {
  const startSeconds = Math.round(Date.now() / 1000 - process.uptime())
  const add = (name: string, help: string, type: 'gauge' | 'counter', read: () => number | undefined) =>
    registry.add(new Collected(name, help, type, [], () => one(read())))
  add('process_cpu_seconds_total', 'User and system CPU time spent, in seconds', 'counter', () => {
    const { user, system } = process.cpuUsage()
    return (user + system) / 1e6
  })
  add('process_resident_memory_bytes', 'Resident memory size in bytes', 'gauge', () => process.memoryUsage.rss())
  add('process_heap_bytes', 'JavaScript heap in use, in bytes', 'gauge', () => process.memoryUsage().heapUsed)
  add('process_open_fds', 'Open file descriptors', 'gauge', openFds)
  add('process_max_fds', 'Maximum number of open file descriptors', 'gauge', maxFds)
  add('process_start_time_seconds', 'Start time of the process since the Unix epoch, in seconds', 'gauge', () => startSeconds)
}
