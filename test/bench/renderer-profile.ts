// Where the renderer's time goes while opening chats and scrolling (issue 14 §4): the same
// scenario as renderer.bench.ts under the V8 CPU profiler of the page, self time summed by
// function and by script. Not part of `npm run bench`; run it when a renderer row misses:
//   npx tsx test/bench/renderer-profile.ts   (BENCH_RENDERER_DIR as for the bench)

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CDPSession, Page } from 'playwright'
import { silentLogger } from '../../src/main/base/log'
import { startHost } from '../../src/main/host/host'
import { launchChromium } from '../helpers/browser'
import { RENDERER_DIR } from '../helpers/host-harness'
import { scrollFrames, timeToOpenChat } from './renderer-drive'
import { seed } from './renderer.bench'
import { cpuPerFrame, frames as frameIntervals, startTrace } from './trace'

declare const requestAnimationFrame: (callback: (time: number) => void) => number

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
  hitCount?: number
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

function summarize(title: string, profile: Profile, top = 25): void {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<string, number>()
  let total = 0
  profile.samples.forEach((id, i) => {
    const n = byNode.get(id)!
    const dt = (profile.timeDeltas[i] ?? 0) / 1000
    total += dt
    const f = n.callFrame
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop() ?? ''}:${f.lineNumber}:${f.columnNumber}`
    self.set(key, (self.get(key) ?? 0) + dt)
  })
  // Inclusive time by function name: a sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>()
  for (const n of profile.nodes as (ProfileNode & { children?: number[] })[]) for (const c of n.children ?? []) parent.set(c, n.id)
  const inclusive = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byNode.get(at)!.callFrame
      const name = `${f.functionName || '(anonymous)'}:${f.lineNumber}`
      if (seen.has(name)) continue
      seen.add(name)
      inclusive.set(name, (inclusive.get(name) ?? 0) + dt)
    }
  })
  process.stdout.write(`\n## ${title}: inclusive\n`)
  for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, 45)) process.stdout.write(`${v.toFixed(1).padStart(8)} ms  ${k}\n`)
  process.stdout.write(`\n## ${title}: ${total.toFixed(0)} ms sampled\n`)
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
    process.stdout.write(`${v.toFixed(1).padStart(8)} ms ${((v / total) * 100).toFixed(1).padStart(5)} %  ${k}\n`)
}

async function profiled<T>(cdp: CDPSession, title: string, fn: () => Promise<T>): Promise<T> {
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 })
  await cdp.send('Profiler.start')
  const out = await fn()
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile }
  summarize(title, profile)
  return out
}

/** Long tasks and the page's own frame breakdown while `fn` runs. */
async function withLongTasks<T>(page: Page, fn: () => Promise<T>): Promise<T> {
  await page.evaluate(() => {
    const g = globalThis as unknown as { __long: number[] }
    g.__long = []
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) g.__long.push(e.duration)
    }).observe({ type: 'longtask' as 'mark' }) // 'longtask' is a browser entry type Node's types lack
  })
  const out = await fn()
  const long = await page.evaluate(() => (globalThis as unknown as { __long: number[] }).__long)
  process.stdout.write(`long tasks (> 50 ms): ${long.length} ${long.map((d) => d.toFixed(0)).join(', ')}\n`)
  return out
}

/** The page main thread's time by trace event name while `fn` runs (wall and CPU; events nest, so sums overlap). */
async function traced<T>(page: Page, title: string, fn: () => Promise<T>): Promise<T> {
  const stop = await startTrace(page)
  const out = await fn()
  const events = await stop()
  const by = new Map<string, { n: number; wall: number; cpu: number }>()
  for (const e of events.filter((x) => x.ph === 'X' && x.dur !== undefined)) {
    const x = by.get(e.name) ?? { n: 0, wall: 0, cpu: 0 }
    x.n++
    x.wall += e.dur! / 1000
    x.cpu += (e.tdur ?? 0) / 1000
    by.set(e.name, x)
  }
  process.stdout.write(`\n## trace of ${title} (renderer main thread; events nest, so sums overlap)\n`)
  for (const [k, v] of [...by].sort((a, b) => b[1].wall - a[1].wall).slice(0, 22))
    process.stdout.write(`${v.wall.toFixed(1).padStart(9)} ms wall ${v.cpu.toFixed(1).padStart(9)} ms cpu ${String(v.n).padStart(6)}×  ${k}\n`)
  // What the slowest 5 % of frames spent their time on (self-ish: every event inside them, by name).
  const slow = frameIntervals(events)
    .sort((a, b) => b.cpu - a.cpu)
    .slice(0, Math.max(1, Math.ceil(frameIntervals(events).length / 20)))
  const inSlow = new Map<string, number>()
  for (const e of events.filter((x) => x.ph === 'X' && x.dur !== undefined))
    if (slow.some((f) => e.ts >= f.from && e.ts < f.to)) inSlow.set(e.name, (inSlow.get(e.name) ?? 0) + (e.tdur ?? 0) / 1000)
  process.stdout.write(
    `slowest ${slow.length} frames (${slow.map((f) => f.cpu.toFixed(1)).join(', ')} ms CPU): ${[...inSlow]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 14)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join('; ')}\n`
  )
  const frames = cpuPerFrame(events).sort((a, b) => a - b)
  if (frames.length > 0)
    process.stdout.write(
      `main-thread CPU per frame: median ${frames[Math.floor(frames.length / 2)]!.toFixed(2)} ms, p95 ${frames[Math.ceil(frames.length * 0.95) - 1]!.toFixed(2)} ms, max ${frames.at(-1)!.toFixed(2)} ms\n`
    )
  return out
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'junction-profile-ui-'))
  seed(dir)
  const host = await startHost({ dataDir: dir, rendererDir: process.env.BENCH_RENDERER_DIR ?? RENDERER_DIR, networks: [], log: silentLogger, version: 'bench' })
  const browser = await launchChromium()
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
    await page.goto(host.url)
    await page.locator('.chat-row').first().waitFor()
    await page.waitForFunction(() => performance.getEntriesByName('junction:inbox-loaded').length > 0)
    await page.waitForTimeout(500)
    // How many frames each open takes, and what the first frame after the click showed.
    for (let i = 0; i < 8; i++) {
      const title = i % 2 ? 'Chat 9998' : 'Busy chat'
      const r = await page.evaluate(async (t) => {
        const doc = (
          globalThis as unknown as {
            document: {
              querySelectorAll(s: string): ArrayLike<{ textContent: string | null; click(): void }>
              querySelector(s: string): { textContent: string | null } | null
            }
          }
        ).document
        const row = Array.from(doc.querySelectorAll('.chat-row')).find((r) => r.textContent?.includes(t))!
        const start = performance.now()
        row.click()
        const afterClick = performance.now() - start
        const frames: string[] = []
        for (let f = 0; f < 6; f++) {
          const at = await new Promise<number>((r) => requestAnimationFrame(r))
          const header = doc.querySelector('.chat-header h1')?.textContent === t
          const rows = doc.querySelectorAll('.message-list .virtual-row').length
          frames.push(`${(at - start).toFixed(1)}/${(performance.now() - start).toFixed(1)}:${header ? 'H' : '-'}${rows}`)
          if (header && rows > 0) break
        }
        return `${t}: click handler ${afterClick.toFixed(1)} ms; frames ${frames.join(' ')}`
      }, title)
      process.stdout.write(`${r}\n`)
    }
    const tracedOpens: number[] = []
    await traced(page, 'open a chat ×20', async () => {
      for (let i = 0; i < 20; i++) tracedOpens.push(await timeToOpenChat(page, i % 2 ? 'Chat 9998' : 'Busy chat'))
    })
    process.stdout.write(`open times: ${tracedOpens.map((t) => t.toFixed(1)).join(' ')}\n`)
    await timeToOpenChat(page, 'Busy chat')
    const tracedFrames = await traced(page, 'scroll 300 frames', () => scrollFrames(page, 300, 300))
    process.stdout.write(`frames: ${[...tracedFrames].sort((a, b) => a - b)[285]!.toFixed(1)} p95\n`)
    if (process.env.PROFILE_JS !== '1') return
    const cdp = await page.context().newCDPSession(page)
    const opens = await profiled(cdp, 'open a chat ×40', () =>
      withLongTasks(page, async () => {
        const out: number[] = []
        for (let i = 0; i < 40; i++) out.push(await timeToOpenChat(page, i % 2 ? 'Chat 9998' : 'Busy chat'))
        return out
      })
    )
    process.stdout.write(`open times: ${opens.map((t) => t.toFixed(1)).join(' ')}\n`)
    await timeToOpenChat(page, 'Busy chat')
    const frames = await profiled(cdp, 'scroll 900 frames', () => withLongTasks(page, () => scrollFrames(page, 900, 300)))
    const sorted = [...frames].sort((a, b) => a - b)
    process.stdout.write(
      `frames: median ${sorted[450]!.toFixed(1)}, p95 ${sorted[855]!.toFixed(1)}, max ${sorted[899]!.toFixed(1)}; over 17 ms: ${frames.filter((f) => f > 17).length}\n`
    )
    process.stdout.write(
      `slow frame indices: ${frames
        .map((f, i) => (f > 17 ? `${i}:${f.toFixed(0)}` : ''))
        .filter(Boolean)
        .join(' ')}\n`
    )
  } finally {
    await browser.close()
    await host.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`profile failed: ${String(error instanceof Error ? error.stack : error)}\n`)
  process.exit(1)
})
