// TEMP (perf helper): quick renderer profile; deleted before reporting.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { silentLogger } from '../../src/main/base/log'
import { startHost } from '../../src/main/host/host'
import { launchChromium } from '../helpers/browser'
import { scrollFrames, seed, timeToOpenChat } from './renderer.bench'
import { cpuBetweenMarks, cpuPerFrame, startTrace } from './trace'

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
function summarize(title: string, profile: { nodes: Node[]; samples: number[]; timeDeltas: number[] }, top = 30): void {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const self = new Map<string, number>(); const incl = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000
    const f = byNode.get(id)!.callFrame
    if (f.functionName === '(idle)') return
    total += dt
    const k = `${f.functionName || '(anon)'}:${f.lineNumber}`
    self.set(k, (self.get(k) ?? 0) + dt)
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const g = byNode.get(at)!.callFrame
      const name = `${g.functionName || '(anon)'}:${g.lineNumber}`
      if (seen.has(name)) continue
      seen.add(name)
      incl.set(name, (incl.get(name) ?? 0) + dt)
    }
  })
  console.log(`\n## ${title}: ${total.toFixed(0)} ms non-idle; self`)
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${v.toFixed(1).padStart(8)} ${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`)
  console.log(`## ${title}: inclusive`)
  for (const [k, v] of [...incl].filter(([k]) => process.env.FILTER ? new RegExp(process.env.FILTER).test(k) : true).sort((a, b) => b[1] - a[1]).slice(0, top + 20)) console.log(`${v.toFixed(1).padStart(8)} ${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`)
}

async function main(): Promise<void> {
  const seedDir = '/tmp/perf/seed'
  if (!existsSync(join(seedDir, 'done'))) { rmSync(seedDir, { recursive: true, force: true }); seed(seedDir); cpSync('/dev/null', join(seedDir, 'done')) }
  const dir = mkdtempSync(join(tmpdir(), 'perf-ui-'))
  cpSync(seedDir, dir, { recursive: true })
  const host = await startHost({ dataDir: dir, rendererDir: process.env.BENCH_RENDERER_DIR!, networks: [], log: silentLogger, version: 'bench' })
  const browser = await launchChromium()
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
    await page.goto(host.url)
    await page.locator('.chat-row').first().waitFor()
    await page.waitForFunction(() => performance.getEntriesByName('junction:inbox-loaded').length > 0)
    await page.waitForTimeout(500)
    for (let i = 0; i < 6; i++) await timeToOpenChat(page, i % 2 ? 'Chat 9998' : 'Busy chat')
    const cdp = await page.context().newCDPSession(page)
    await timeToOpenChat(page, 'Busy chat')
    console.log('nodes in list', await page.evaluate(() => (globalThis as never as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('.message-list *').length), 'rows', await page.locator('.message-list .virtual-row').count())
    for (let rep = 0; rep < Number(process.env.REPS ?? 2); rep++) {
      const stop = await startTrace(page)
      const wall: number[] = []
      for (let i = 0; i < 20; i++) wall.push(await timeToOpenChat(page, i % 2 ? 'Chat 9998' : 'Busy chat'))
      const cpu = cpuBetweenMarks(await stop(), 'junction-bench-open')
      const busy = cpu.filter((_, i) => i % 2 === 0).sort((a, b) => a - b), small = cpu.filter((_, i) => i % 2 === 1).sort((a, b) => a - b)
      console.log(`open CPU busy: ${busy.map((x) => x.toFixed(1)).join(' ')}`)
      console.log(`open CPU small: ${small.map((x) => x.toFixed(1)).join(' ')}`)
      const all = [...cpu].sort((a, b) => a - b)
      console.log(`open CPU p50 ${all[Math.floor(all.length / 2)]!.toFixed(1)} p95 ${all[Math.ceil(all.length * 0.95) - 1]!.toFixed(1)}; wall ${[...wall].sort((a, b) => a - b).map((x) => x.toFixed(0)).join(' ')}`)
    }
    if (process.env.PROF) {
      await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 100 }); await cdp.send('Profiler.start')
      for (let i = 0; i < 30; i++) await timeToOpenChat(page, 'Busy chat').then(() => timeToOpenChat(page, 'Chat 9998'))
      const { profile } = (await cdp.send('Profiler.stop')) as never as { profile: never }
      summarize('open', profile)
    }
    if (process.env.SCROLL) {
      await timeToOpenChat(page, 'Busy chat')
      await scrollFrames(page, 200, 300)
      const stop = await startTrace(page)
      await scrollFrames(page, 300, 300)
      const f = cpuPerFrame(await stop()).sort((a, b) => a - b)
      console.log(`scroll CPU/frame p50 ${f[Math.floor(f.length / 2)]!.toFixed(2)} p95 ${f[Math.ceil(f.length * 0.95) - 1]!.toFixed(2)} max ${f.at(-1)!.toFixed(1)} (n=${f.length})`)
      if (process.env.PROF) {
        await cdp.send('Profiler.start')
        await scrollFrames(page, 300, 300)
        const { profile } = (await cdp.send('Profiler.stop')) as never as { profile: never }
        summarize('scroll', profile)
      }
    }
  } finally {
    await browser.close()
    await host.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
void main()
