// The shared bench harness (issue 14, point 5). Every case is measured in CPU time
// (process.cpuUsage, user + system) rather than wall time, so a shared machine's other
// load does not count against it; a subject and its reference alternate round by round so
// drift (thermal, other processes, GC state) hits both alike, and medians of >= 5 rounds
// are reported.

import { percentile, rate, type Row } from './table'

export interface BenchCase {
  name: string
  /** one run of the work */
  run(): void | Promise<void>
  /** how much one run processes */
  units: number
  /** 'msg', 'MB', 'ops', 'calls'… (MB means units are bytes, printed as MB/s) */
  unit: string
}

export interface MeasureOptions {
  rounds?: number
  /** repeat run() until at least this much CPU time per round */
  minMs?: number
}

export interface CompareOptions extends MeasureOptions {
  /** ratio subject/reference the subject must reach */
  goal?: number
  /**
   * Alternate single runs of subject and reference inside each round (each timed alone), instead
   * of whole rounds: for two sides doing the same native work, where a busy neighbour on a
   * 2-core machine otherwise lands on one half of a pair and decides its ratio.
   */
  alternateRuns?: boolean
}

const DEFAULT_ROUNDS = 7
const MIN_ROUNDS = 5
const DEFAULT_MIN_MS = 50
const WARMUP_ROUNDS = 3

function cpuMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

/** One round: repeats run() until `minMs` of CPU time has gone; returns units per CPU second. */
async function round(c: BenchCase, minMs: number): Promise<{ perSecond: number; msPerRun: number }> {
  let runs = 0
  const start = cpuMs()
  let spent = 0
  do {
    const r = c.run()
    if (r instanceof Promise) await r
    runs++
    spent = cpuMs() - start
  } while (spent < minMs)
  // A run faster than the timer's resolution still took some time: avoid dividing by zero.
  const seconds = Math.max(spent, 0.001) / 1000
  return { perSecond: (runs * c.units) / seconds, msPerRun: (seconds * 1000) / runs }
}

/** One round of single runs, subject and reference taking turns, each timed alone, until both spent `minMs`. */
async function alternatingRound(
  subject: BenchCase,
  reference: BenchCase,
  minMs: number,
  subjectFirst: boolean
): Promise<{ subject: number; reference: number }> {
  const spent = { subject: 0, reference: 0 }
  const runs = { subject: 0, reference: 0 }
  const once = async (which: 'subject' | 'reference'): Promise<void> => {
    const c = which === 'subject' ? subject : reference
    const start = cpuMs()
    const x = c.run()
    if (x instanceof Promise) await x
    spent[which] += cpuMs() - start
    runs[which]++
  }
  while (spent.subject < minMs || spent.reference < minMs) {
    await once(subjectFirst ? 'subject' : 'reference')
    await once(subjectFirst ? 'reference' : 'subject')
  }
  const perSecond = (c: BenchCase, which: 'subject' | 'reference'): number => (runs[which] * c.units) / (Math.max(spent[which], 0.001) / 1000)
  return { subject: perSecond(subject, 'subject'), reference: perSecond(reference, 'reference') }
}

function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50
  )
}

/** Formats a throughput: MB means units are bytes. */
export function formatRate(perSecond: number, unit: string): string {
  if (unit === 'MB') return `${(perSecond / 1e6).toFixed(perSecond < 1e7 ? 2 : 1)} MB/s`
  return rate(perSecond, `${unit}/s`)
}

function roundsOf(options: MeasureOptions | undefined): number {
  return Math.max(MIN_ROUNDS, options?.rounds ?? DEFAULT_ROUNDS)
}

/** Interleaves subject and reference rounds (>= 5 each, after a warm-up), measures CPU time with process.cpuUsage (user+system), returns medians and the ratio subject/reference (the median of the rounds' paired ratios). */
export async function compare(label: string, subject: BenchCase, reference: BenchCase, options?: CompareOptions): Promise<Row> {
  const rounds = roundsOf(options)
  const minMs = options?.minMs ?? DEFAULT_MIN_MS
  // Warm-up: JIT, caches, SQLite page cache; not counted. Interleaved and several rounds
  // long, so both sides reach their optimizing tier before the first counted round: with one
  // half-length round each, the first counted rounds still ran partly unoptimized code (the
  // LINE Thrift decode measured 1.1–1.4× in round one, 2.3× from round three on).
  // Capped, so cases with long rounds (the store's) do not grow their databases much more than before.
  const warmMs = Math.min(minMs, 100)
  for (let i = 0; i < WARMUP_ROUNDS; i++) {
    await round(subject, warmMs)
    await round(reference, warmMs)
  }
  const s: number[] = []
  const r: number[] = []
  for (let i = 0; i < rounds; i++) {
    if (options?.alternateRuns) {
      const pair = await alternatingRound(subject, reference, minMs, i % 2 === 0)
      s.push(pair.subject)
      r.push(pair.reference)
    } else if (i % 2 === 0) {
      // Alternate which goes first so neither always runs on a freshly collected heap.
      s.push((await round(subject, minMs)).perSecond)
      r.push((await round(reference, minMs)).perSecond)
    } else {
      r.push((await round(reference, minMs)).perSecond)
      s.push((await round(subject, minMs)).perSecond)
    }
  }
  const sm = median(s)
  const rm = median(r)
  // The ratio is the median of each round's pair (subject and reference, run back to back),
  // so a slow stretch of the machine shifts both halves of a pair instead of one median.
  const ratio = median(s.map((x, i) => x / r[i]!))
  const goal = options?.goal
  const how = options?.alternateRuns ? 'rounds of alternating single runs' : 'interleaved rounds'
  const row: Row = {
    area: label,
    measurement: subject.name,
    value: formatRate(sm, subject.unit),
    reference: `${reference.name}: ${formatRate(rm, reference.unit)}`,
    ratio: `${ratio.toFixed(2)}×`,
    note: `median of ${rounds} ${how} after ${WARMUP_ROUNDS} warm-up rounds each, CPU time; ratio: median of the rounds' pairs (ratio of the medians ${(sm / rm).toFixed(2)}×)`,
    perSecond: sm
  }
  if (goal !== undefined) {
    row.goal = `≥ ${goal}×`
    row.met = ratio >= goal ? 'yes' : 'NO'
  }
  return row
}

/** A single measured case without a reference (latency percentiles etc.). */
export async function measure(label: string, subject: BenchCase, options?: MeasureOptions): Promise<Row> {
  const rounds = roundsOf(options)
  const minMs = options?.minMs ?? DEFAULT_MIN_MS
  await round(subject, minMs / 2)
  const rates: number[] = []
  const perRun: number[] = []
  for (let i = 0; i < rounds; i++) {
    const x = await round(subject, minMs)
    rates.push(x.perSecond)
    perRun.push(x.msPerRun)
  }
  const sorted = [...perRun].sort((a, b) => a - b)
  return {
    area: label,
    measurement: subject.name,
    value: formatRate(median(rates), subject.unit),
    perSecond: median(rates),
    note: `median of ${rounds} rounds, CPU time; per run median ${fmtMs(percentile(sorted, 50))}, worst round ${fmtMs(sorted[sorted.length - 1]!)}`
  }
}

function fmtMs(v: number): string {
  return v < 1 ? `${(v * 1000).toFixed(0)} µs` : `${v.toFixed(v < 10 ? 2 : 1)} ms`
}

/**
 * Latency of a set of operations (e.g. search queries), each timed alone in CPU time,
 * round-robin for `rounds` passes after a warm-up pass: p50 and p95 over every sample.
 */
export async function latency(
  label: string,
  name: string,
  operations: ReadonlyArray<() => void | Promise<void>>,
  options?: { rounds?: number; goalP95Ms?: number; note?: string }
): Promise<Row & { p95Ms: number }> {
  const rounds = Math.max(MIN_ROUNDS, options?.rounds ?? 20)
  for (const op of operations) await op()
  const samples: number[] = []
  for (let r = 0; r < rounds; r++) {
    for (const op of operations) {
      const start = process.cpuUsage()
      const x = op()
      if (x instanceof Promise) await x
      const d = process.cpuUsage(start)
      samples.push((d.user + d.system) / 1000)
    }
  }
  samples.sort((a, b) => a - b)
  const p50 = percentile(samples, 50)
  const p95 = percentile(samples, 95)
  const row: Row & { p95Ms: number } = {
    area: label,
    measurement: name,
    value: `p50 ${fmtMs(p50)}, p95 ${fmtMs(p95)}`,
    note: `${samples.length} samples (${operations.length} operations × ${rounds}), CPU time, max ${fmtMs(samples[samples.length - 1]!)}${options?.note ? `; ${options.note}` : ''}`,
    p95Ms: p95
  }
  if (options?.goalP95Ms !== undefined) {
    row.goal = `p95 < ${options.goalP95Ms} ms`
    row.met = p95 < options.goalP95Ms ? 'yes' : 'NO'
  }
  return row
}
