// `npm run bench`: every measured figure, printed as one table. Speed and memory targets
// live here, never in timed unit tests. BENCH_QUICK=1 shrinks the corpora for a smoke run;
// BENCH_ONLY=store,line runs only those parts (store, whatsapp, whatsapp-md, line, skype, renderer).

import { printTable, type Row } from './table'

async function main(): Promise<void> {
  const quick = process.env.BENCH_QUICK === '1'
  const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null
  const parts: Array<[name: string, run: () => Promise<Row[]>]> = [
    // Imported when run, so one part's dependencies never stop another part from running.
    ['store', async () => (await import('./store.bench')).benchStore({ searchMessages: quick ? 200_000 : 1_000_000 })],
    ['whatsapp', async () => (await import('./whatsapp.bench')).benchWhatsApp()],
    ['whatsapp-md', async () => (await import('./whatsapp-md.bench')).benchWhatsAppMd()],
    ['line', async () => (await import('./line.bench')).benchLine()],
    ['skype', async () => (await import('./skype.bench')).benchSkype({ megabytes: quick ? 4 : 16 })],
    ['renderer', async () => (await import('./renderer.bench')).benchRenderer()]
  ]
  if (only) {
    const unknown = [...only].filter((name) => !parts.some(([p]) => p === name))
    if (unknown.length > 0) throw new Error(`BENCH_ONLY names unknown parts: ${unknown.join(', ')} (known: ${parts.map(([p]) => p).join(', ')})`)
  }
  const rows: Row[] = []
  for (const [name, run] of parts) {
    if (only && !only.has(name)) continue
    process.stderr.write(`bench: ${name}…\n`)
    rows.push(...(await run()))
  }
  process.stdout.write(`\nJunction bench — Node ${process.version}, ${new Date().toISOString()}${quick ? ' (quick)' : ''}\n\n`)
  printTable(rows)
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String(error instanceof Error ? error.stack : error)}\n`)
  process.exit(1)
})
