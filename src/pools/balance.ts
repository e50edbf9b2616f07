// Weighted least latency: pure functions of member state, the clock and a random source.
//
// Why not "power of two choices, take the lower cost": with two members both are always
// drawn, so the cheaper one wins every time and, with one request at a time, weights 3:1
// at equal latency give 100/0 instead of 75/25. Drawing every candidate with a probability
// that falls steeply with latency keeps weights meaningful with any traffic pattern while a
// clearly slower member still gets very little.

/** Time constant of the moving average of time-to-first-byte samples. */
export const LATENCY_DECAY_MS = 10_000
/** Time constant with which an estimate fades toward zero while no samples arrive. */
export const IDLE_DECAY_MS = 300_000
/** Added to a member's latency for each consecutive failure it has not yet recovered from. */
export const FAILURE_PENALTY_MS = 1_000
/** How steeply the share falls with relative latency. */
export const LATENCY_EXPONENT = 4
/**
 * Latencies are floored here: differences below it are noise for LLM traffic (connection
 * set-up, GC pauses), and without a floor a fast upstream's 3 ms hiccup against a 1 ms peer
 * would count as "3× slower" and override the weights for seconds.
 */
export const MIN_LATENCY_MS = 50

/** A peak-sensitive moving average of time to first byte, as of its last sample. */
export interface LatencyEstimate {
  ms: number
  /** Epoch ms of the last sample. */
  at: number
}

/** The estimate as seen at `now`: it fades toward zero while idle, so stale peaks get retried. */
export function currentLatency(estimate: LatencyEstimate, now: number): number {
  const idle = Math.max(0, now - estimate.at)
  return estimate.ms * Math.exp(-idle / IDLE_DECAY_MS)
}

/**
 * PeakEWMA: a sample above the current estimate replaces it at once (a member that turns
 * slow is avoided from its next pick); otherwise the estimate moves toward the sample by
 * the weight that the time since the previous sample earns it.
 */
export function addLatencySample(estimate: LatencyEstimate | null, sampleMs: number, now: number): LatencyEstimate {
  const sample = Math.max(0, sampleMs)
  if (estimate === null) return { ms: sample, at: now }
  const current = currentLatency(estimate, now)
  if (sample >= current) return { ms: sample, at: now }
  const keep = Math.exp(-Math.max(0, now - estimate.at) / LATENCY_DECAY_MS)
  return { ms: current * keep + sample * (1 - keep), at: now }
}

export interface BalanceCandidate {
  weight: number
  latency: LatencyEstimate | null
  consecutiveFailures: number
  inFlight: number
}

/**
 * Each candidate's probability of being picked:
 *
 *   estimate_i = PeakEWMA of time to first byte (10 s time constant), fading toward 0 with
 *                a 5 min time constant while the member gets no samples; a member with no
 *                sample yet counts as fast as the fastest known candidate (so it gets tried)
 *   latency_i  = max(50 ms, estimate_i) + 1000 ms × consecutive failures_i
 *   relative_i = latency_i / min_j latency_j                       (the fastest is 1)
 *   score_i    = weight_i / (relative_i^4 × (1 + inFlight_i / weight_i))
 *   P(i)       = score_i / Σ_j score_j
 *
 * At equal latency and no load, traffic splits by weight; a member 3× slower than an
 * equally weighted peer scores 1/81 of it; each in-flight request lowers a member's share,
 * less so for heavier members.
 */
export function selectionShares(candidates: readonly BalanceCandidate[], now: number): number[] {
  // Plain loops, each estimate computed once: this runs on every request over the whole pool.
  const count = candidates.length
  const estimates = new Array<number>(count)
  let unknownEstimate = Number.POSITIVE_INFINITY
  for (let i = 0; i < count; i++) {
    const latency = (candidates[i] as BalanceCandidate).latency
    const estimate = latency === null ? Number.NaN : currentLatency(latency, now)
    estimates[i] = estimate
    if (estimate < unknownEstimate) unknownEstimate = estimate
  }
  if (unknownEstimate === Number.POSITIVE_INFINITY) unknownEstimate = MIN_LATENCY_MS
  let fastest = Number.POSITIVE_INFINITY
  for (let i = 0; i < count; i++) {
    const estimate = estimates[i] as number
    const latency =
      Math.max(MIN_LATENCY_MS, Number.isNaN(estimate) ? unknownEstimate : estimate) +
      FAILURE_PENALTY_MS * (candidates[i] as BalanceCandidate).consecutiveFailures
    estimates[i] = latency
    if (latency < fastest) fastest = latency
  }
  let total = 0
  for (let i = 0; i < count; i++) {
    const c = candidates[i] as BalanceCandidate
    const relative = (estimates[i] as number) / fastest
    const score = c.weight / (relative ** LATENCY_EXPONENT * (1 + c.inFlight / c.weight))
    estimates[i] = score
    total += score
  }
  for (let i = 0; i < count; i++) estimates[i] = (estimates[i] as number) / total
  return estimates
}

/** Draws one candidate index by `selectionShares`; `random` returns values in [0, 1). */
export function chooseCandidate(candidates: readonly BalanceCandidate[], now: number, random: () => number): number {
  if (candidates.length <= 1) return 0
  const shares = selectionShares(candidates, now)
  let remaining = random()
  for (let i = 0; i < shares.length; i++) {
    remaining -= shares[i] ?? 0
    if (remaining < 0) return i
  }
  return shares.length - 1
}
