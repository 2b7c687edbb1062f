// `npm run bench`: every measured figure, printed as one table. Speed and memory targets
// live here, never in timed unit tests. BENCH_QUICK=1 shrinks the corpora for a smoke run.

import { benchRenderer } from './renderer.bench'
import { benchLine } from './line.bench'
import { benchSkype } from './skype.bench'
import { benchStore } from './store.bench'
import { benchWhatsApp } from './whatsapp.bench'
import { printTable, type Row } from './table'

async function main(): Promise<void> {
  const quick = process.env.BENCH_QUICK === '1'
  const rows: Row[] = []
  process.stderr.write('bench: store…\n')
  rows.push(...(await benchStore({ searchMessages: quick ? 200_000 : 1_000_000 })))
  process.stderr.write('bench: whatsapp…\n')
  rows.push(...(await benchWhatsApp()))
  process.stderr.write('bench: line…\n')
  rows.push(...(await benchLine()))
  process.stderr.write('bench: skype…\n')
  rows.push(...(await benchSkype({ megabytes: quick ? 4 : 16 })))
  process.stderr.write('bench: renderer in Chromium…\n')
  rows.push(...(await benchRenderer()))
  process.stdout.write(`\nJunction bench — Node ${process.version}, ${new Date().toISOString()}${quick ? ' (quick)' : ''}\n\n`)
  printTable(rows)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String(error instanceof Error ? error.stack : error)}\n`)
  process.exit(1)
})
