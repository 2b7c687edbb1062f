// The bench harness: named measurements collected into one printed table.

export interface Row {
  area: string
  measurement: string
  value: string
  /** what the value is measured against in the same run, with its figure */
  reference?: string
  /** subject / reference, e.g. '0.82×' */
  ratio?: string
  /** the ratio (or bound) the value must reach, e.g. '≥ 0.7×' or 'p95 < 20 ms' */
  goal?: string
  /** 'yes' or 'NO' when a goal is set */
  met?: string
  note?: string
  /** The measured throughput as a number (units per CPU second), for a goal checked by the caller; not printed. */
  perSecond?: number
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]!
}

/** Runs `fn` `runs` times after `warmup` runs; returns median and p95 in milliseconds. */
export function timeIt(fn: () => unknown, runs: number, warmup = 3): { median: number; p95: number } {
  for (let i = 0; i < warmup; i++) fn()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint()
    fn()
    samples.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  samples.sort((a, b) => a - b)
  return { median: percentile(samples, 50), p95: percentile(samples, 95) }
}

export async function timeItAsync(fn: () => Promise<unknown>, runs: number, warmup = 3): Promise<{ median: number; p95: number }> {
  for (let i = 0; i < warmup; i++) await fn()
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint()
    await fn()
    samples.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  samples.sort((a, b) => a - b)
  return { median: percentile(samples, 50), p95: percentile(samples, 95) }
}

export const ms = (v: number): string => (v < 1 ? `${(v * 1000).toFixed(0)} µs` : `${v.toFixed(v < 10 ? 2 : 1)} ms`)
export const medianP95 = (t: { median: number; p95: number }): string => `median ${ms(t.median)}, p95 ${ms(t.p95)}`
export const rate = (n: number, unit: string): string =>
  `${n >= 1e6 ? (n / 1e6).toFixed(2) + ' M' : n >= 1e3 ? (n / 1e3).toFixed(1) + ' k' : n.toFixed(0)} ${unit}`

export function printTable(rows: Row[]): void {
  // Reference/ratio/goal columns only appear when some row has them, so tables of plain
  // figures print as before.
  const all = ['area', 'measurement', 'value', 'reference', 'ratio', 'goal', 'met', 'note'] as const
  const headers = all.filter((h) => h === 'area' || h === 'measurement' || h === 'value' || h === 'note' || rows.some((r) => r[h] !== undefined))
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => (r[h] ?? '').length)))
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  process.stdout.write(`${line([...headers])}\n`)
  process.stdout.write(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`)
  for (const r of rows) process.stdout.write(`${line(headers.map((h) => r[h] ?? ''))}\n`)
}
