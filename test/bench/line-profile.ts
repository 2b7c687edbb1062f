// Profiles the client side of the LINE SSE ingest rows (the reference server runs in a child
// process): npx tsx test/bench/line-profile.ts [out.cpuprofile] (LINE_BENCH_LABELS=sealed for one case). An in-process inspector
// session, because `node --cpu-prof` with tsx's loader crashes this Node.

import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { ingestRows } from './line.bench'
import { printTable } from './table'

async function main(): Promise<void> {
  const out = process.argv[2] ?? 'line-ingest.cpuprofile'
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 100 })
  await session.post('Profiler.start')
  const labels = process.env.LINE_BENCH_LABELS ? (process.env.LINE_BENCH_LABELS.split(',') as ('plain' | 'sealed')[]) : undefined
  const rows = await ingestRows(Number(process.env.LINE_BENCH_OPERATIONS ?? 5_000), labels)
  const { profile } = await session.post('Profiler.stop')
  writeFileSync(out, JSON.stringify(profile))
  printTable(rows)
  process.stderr.write(`profile written to ${out}\n`)
}

main().catch((error: unknown) => {
  process.stderr.write(`line-profile failed: ${String(error instanceof Error ? error.stack : error)}\n`)
  process.exit(1)
})
