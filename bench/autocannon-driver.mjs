// Runs one autocannon load under Node (the bench's fallback when wrk is not installed) and
// prints one JSON line. autocannon's own latency histogram has 1 ms resolution, too coarse
// for sub-millisecond gateways, so latencies are taken from its per-response event instead.
// Usage: node bench/autocannon-driver.mjs '<json: url, connections, seconds, body, headers>'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const autocannon = require('autocannon')

const spec = JSON.parse(process.argv[2] ?? '{}')
const latencies = []
let ok = 0
let non2xx = 0

const instance = autocannon(
  {
    url: spec.url,
    method: 'POST',
    connections: spec.connections,
    duration: spec.seconds,
    headers: spec.headers,
    body: spec.body,
  },
  (error, result) => {
    if (error) {
      console.error(error.message)
      process.exit(1)
    }
    latencies.sort((a, b) => a - b)
    const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
    const seconds = (result.finish - result.start) / 1000 || spec.seconds
    console.log(
      JSON.stringify({
        requests: ok + non2xx,
        seconds,
        rps: (ok + non2xx) / seconds,
        p50: at(0.5),
        p90: at(0.9),
        p99: at(0.99),
        non2xx,
        errors: result.errors + result.timeouts,
      }),
    )
  },
)

instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  if (statusCode >= 200 && statusCode < 300) ok++
  else non2xx++
  latencies.push(responseTime)
})
