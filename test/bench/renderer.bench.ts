// Renderer figures, measured in Debian's Chromium against the headless host: time from page
// load to an interactive inbox of 10,000 chats, opening a chat, frame times while scrolling
// a 100,000-message chat (loading older pages as it goes), renderer memory after that, the
// tab's PSS with three accounts, and a soak with messages arriving (BENCH_SOAK_MINUTES,
// 3 by default, 60 for the hour the issue names) whose memory must stay flat.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright'
import { silentLogger } from '../../src/main/base/log'
import { openProfileStore } from '../../src/main/core/profile'
import { startHost } from '../../src/main/host/host'
import { launchChromium } from '../helpers/browser'
import { RENDERER_DIR } from '../helpers/host-harness'
import type { Browser } from 'playwright'
import type { Core } from '../../src/main/core/core'
import type { IncomingMessage } from '../../src/main/networks/connector'
import { medianP95, percentile, type Row } from './table'
import { emptyClickToFrame, openChatTimed, scrollFrames, timeToOpenChat } from './renderer-drive'
import { cpuBetweenMarks, cpuPerFrame, startTrace } from './trace'

// Functions passed to page.evaluate run in the page; the Node tsconfig has no DOM, so this one global is declared here.
declare const requestAnimationFrame: (callback: (time: number) => void) => number

const CHATS = 10_000
/** One frame at 60 Hz; rAF timestamps of back-to-back frames jitter around it by a few tenths. */
const VSYNC_MS = 1000 / 60
const BIG_CHAT_MESSAGES = 100_000

export function seed(dataDir: string): void {
  const store = openProfileStore(dataDir)
  const accounts = (['whatsapp', 'line', 'skype'] as const).map(
    (network, i) => store.accounts.insert({ network, selfId: `me-${i}`, displayName: `Me ${i}`, sealedCredentials: new Uint8Array(0), now: 1 }).id
  )
  const base = 1_750_000_000_000
  store.transaction(() => {
    for (let i = 0; i < CHATS; i++) {
      const accountId = accounts[i % 3]!
      const id = store.chats.upsert(accountId, { remoteId: `c${i}`, kind: i % 9 ? 'direct' : 'group', title: `Chat ${i}`, unread: i % 7 === 0 ? 2 : 0 }).id
      const m = store.messages.upsert(id, accountId, {
        chatRemoteId: `c${i}`,
        remoteId: `last${i}`,
        senderId: `c${i}`,
        fromMe: false,
        timestamp: base + i * 1000,
        kind: 'text',
        text: `last message of chat ${i}`
      })
      store.chats.noteMessage(id, Number(m.message.id), m.message.timestamp)
    }
  })
  // The busiest chat, the newest in the inbox: 100,000 messages of mixed lengths.
  const big = store.chats.upsert(accounts[0]!, { remoteId: 'big', kind: 'direct', title: 'Busy chat' }).id
  for (let b = 0; b < BIG_CHAT_MESSAGES / 1000; b++) {
    store.transaction(() => {
      for (let i = 0; i < 1000; i++) {
        const n = b * 1000 + i
        const text = n % 11 === 0 ? `a longer message number ${n} `.repeat(6) : `message ${n}`
        store.messages.upsert(big, accounts[0]!, {
          chatRemoteId: 'big',
          remoteId: `b${n}`,
          senderId: n % 3 ? 'friend' : 'me-0',
          fromMe: n % 3 === 0,
          timestamp: base + CHATS * 1000 + n * 30_000,
          kind: 'text',
          text
        })
      }
    })
  }
  const last = store.messages.page(big, null, 1)[0]!
  store.chats.noteMessage(big, Number(last.id), last.timestamp)
  store.close()
}

/** Milliseconds from navigation start until the inbox has rows that answer a click. */
async function timeToInteractiveInbox(page: Page, url: string): Promise<number> {
  await page.goto(url)
  await page.locator('.chat-row').first().waitFor()
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        // Interactive: the row is painted and the main thread is free to handle input.
        requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0))
      })
  )
}

/** The tab's renderer process: the largest renderer the browser reports (one page is open). */
async function tabPssMb(browser: Browser): Promise<number> {
  const cdp = await browser.newBrowserCDPSession()
  const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo' as never)) as { processInfo: { type: string; id: number }[] }
  await cdp.detach()
  let best = 0
  for (const p of processInfo.filter((x) => x.type === 'renderer')) {
    try {
      const kb = Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${p.id}/smaps_rollup`, 'utf8'))?.[1] ?? 0)
      best = Math.max(best, kb / 1024)
    } catch {
      // A renderer that ended meanwhile.
    }
  }
  return best
}

function accounts(dir: string): string[] {
  const store = openProfileStore(dir)
  try {
    return store.accounts.list().map((a) => a.id)
  } finally {
    store.close()
  }
}

/**
 * Messages arrive in the open chat and across the inbox while the person switches chats now
 * and then; the tab's PSS is sampled. Flat: the last samples stay within 10 % of those just
 * after warm-up.
 */
async function soak(browser: Browser, url: string, core: Core, accountIds: string[]): Promise<Row> {
  const minutes = Number(process.env.BENCH_SOAK_MINUTES ?? 3)
  const name = 'soak with messages arriving (tab PSS after GC)'
  if (!(minutes > 0))
    return { area: 'renderer', measurement: name, value: 'not measured', note: `skipped: BENCH_SOAK_MINUTES=${process.env.BENCH_SOAK_MINUTES}` }
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
  await page.goto(url)
  await page.locator('.chat-row').first().waitFor()
  await timeToOpenChat(page, 'Busy chat')
  const cdp = await page.context().newCDPSession(page)
  // Core's ingest, as a Connector's events reach it (the bench has no network to push them).
  const ingest = (core as unknown as { ingest: { ingestMessages(a: string, m: IncomingMessage[], live: boolean): void } }).ingest
  const end = Date.now() + minutes * 60_000
  const warmAt = Date.now() + Math.min(60_000, (minutes * 60_000) / 3)
  const samples: { at: number; mb: number }[] = []
  let n = 0
  while (Date.now() < end) {
    for (let i = 0; i < 5; i++, n++) {
      const chat = n % 4 === 0 ? 'big' : `c${n % 500}`
      ingest.ingestMessages(
        accountIds[chat === 'big' ? 0 : (n % 500) % 3]!,
        [
          {
            chatRemoteId: chat,
            remoteId: `soak${n}`,
            senderId: 'friend',
            fromMe: false,
            timestamp: Date.now(),
            kind: 'text',
            text: `soak message ${n} `.repeat(1 + (n % 4))
          }
        ],
        true
      )
    }
    if (n % 200 === 0) await timeToOpenChat(page, n % 400 === 0 ? 'Busy chat' : `Chat ${n % 9000}`).catch(() => undefined)
    if (Date.now() >= warmAt && n % 50 === 0) {
      // After a full GC: what the tab holds, not where the collector happened to be (PSS swung ±20 % with GC timing alone).
      await cdp.send('HeapProfiler.collectGarbage')
      samples.push({ at: Date.now(), mb: await tabPssMb(browser) })
    }
    await new Promise((r) => setTimeout(r, 1000))
  }
  await cdp.detach()
  await page.close()
  const third = Math.max(1, Math.floor(samples.length / 3))
  const early = percentile(
    samples
      .slice(0, third)
      .map((s) => s.mb)
      .sort((a, b) => a - b),
    50
  )
  const late = percentile(
    samples
      .slice(-third)
      .map((s) => s.mb)
      .sort((a, b) => a - b),
    50
  )
  const growth = late / early - 1
  return {
    area: 'renderer',
    measurement: `soak: ${minutes} min, 5 messages/s arriving, chats switched (tab PSS after GC)`,
    value: `${early.toFixed(0)} → ${late.toFixed(0)} MB (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)} %)`,
    goal: 'within 10 % after warm-up',
    met: Math.abs(growth) <= 0.1 ? 'yes' : 'NO',
    note: `${n.toLocaleString('en')} messages, ${samples.length} samples`
  }
}

/** A row of CPU-time samples (ms) against a p95 bound. */
function cpuRow(measurement: string, sorted: number[], bound: number, note: string): Row {
  const p95 = percentile(sorted, 95)
  return {
    area: 'renderer',
    measurement,
    value: medianP95({ median: percentile(sorted, 50), p95 }),
    goal: `p95 ≤ ${bound} ms`,
    met: sorted.length > 0 && p95 <= bound ? 'yes' : 'NO',
    note
  }
}

/** How busy the machine was: the wall-clock rows depend on it, the CPU-time rows do not. */
function loadNote(): string {
  return `; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`
}

export async function benchRenderer(): Promise<Row[]> {
  const rows: Row[] = []
  const dir = mkdtempSync(join(tmpdir(), 'junction-bench-ui-'))
  seed(dir)
  // BENCH_RENDERER_DIR: a renderer built elsewhere (`electron-vite build --outDir …`), so the bench measures that build while others rebuild out/.
  const rendererDir = process.env.BENCH_RENDERER_DIR ?? RENDERER_DIR
  const host = await startHost({ dataDir: dir, rendererDir, networks: [], log: silentLogger, version: 'bench' })
  const browser = await launchChromium()
  try {
    const loads: number[] = []
    for (let i = 0; i < 7; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
      loads.push(await timeToInteractiveInbox(page, host.url))
      await page.close()
    }
    loads.sort((a, b) => a - b)
    rows.push({
      area: 'renderer',
      measurement: `page load → interactive inbox (${CHATS.toLocaleString('en')} chats, 3 accounts)`,
      value: medianP95({ median: percentile(loads, 50), p95: percentile(loads, 95) }),
      note: '7 cold page loads'
    })

    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
    await page.goto(host.url)
    await page.locator('.chat-row').first().waitFor()
    // The page fetches the top of the inbox ahead (and a row under the pointer): those open within a frame.
    await page.waitForFunction(() => performance.getEntriesByName('junction:inbox-loaded').length > 0)
    await page.waitForTimeout(500)
    const cold: number[] = []
    for (const n of [9992, 9991, 9990, 9989, 9988]) cold.push(await timeToOpenChat(page, `Chat ${n}`))
    cold.sort((a, b) => a - b)
    const timed: { ms: number; frames: number }[] = []
    const idle: number[] = []
    for (let i = 0; i < 40; i++) {
      timed.push(await openChatTimed(page, i % 2 ? 'Chat 9998' : 'Busy chat'))
      idle.push(await emptyClickToFrame(page))
    }
    const opens = timed.map((o) => o.ms).sort((a, b) => a - b)
    idle.sort((a, b) => a - b)
    const openP95 = percentile(opens, 95)
    rows.push({
      area: 'renderer',
      measurement: 'open a chat (click → messages on screen)',
      value: medianP95({ median: percentile(opens, 50), p95: openP95 }),
      reference: `a click that changes nothing → the next frame: ${medianP95({ median: percentile(idle, 50), p95: percentile(idle, 95) })}`,
      note: `alternating the 100,000-message chat and a small one (both near the top, so fetched ahead), each followed by the reference click; wall clock to the frame callback that sees it, which includes the wait for the next frame: for a click at a random phase that wait alone is spread over a whole frame, as the reference shows${loadNote()}`
    })
    // The "p95 ≤ 16 ms to painted (one frame)", in whole frames as the scrolling row reads its
    // intervals: the wall clock above is mostly the wait for the next frame, as its reference shows.
    const frameCounts = timed.map((o) => o.frames).sort((a, b) => a - b)
    const framesP95 = percentile(frameCounts, 95)
    rows.push({
      area: 'renderer',
      measurement: 'open a chat: frames from the click to the chat on screen',
      value: `p95 ${framesP95} (${frameCounts.filter((f) => f === 1).length} of ${frameCounts.length} in the first frame)`,
      goal: 'p95 one frame (16.7 ms)',
      met: framesP95 <= 1 ? 'yes' : 'NO',
      note: `the same ${frameCounts.length} opens${loadNote()}`
    })
    // The same opens again under a trace: the main thread's CPU time from the click to the frame that shows the chat.
    const stopOpens = await startTrace(page)
    for (let i = 0; i < 20; i++) await timeToOpenChat(page, i % 2 ? 'Chat 9998' : 'Busy chat')
    const openCpu = cpuBetweenMarks(await stopOpens(), 'junction-bench-open').sort((a, b) => a - b)
    rows.push(cpuRow('open a chat: main-thread CPU, click → the frame showing it', openCpu, 16, `${openCpu.length} traced opens as above${loadNote()}`))
    rows.push({
      area: 'renderer',
      measurement: 'open a chat nobody fetched ahead (click → messages on screen)',
      value: medianP95({ median: percentile(cold, 50), p95: percentile(cold, 95) }),
      note: 'five chats lower in the inbox: one Api round trip and a render'
    })

    await timeToOpenChat(page, 'Busy chat')
    const frames = await scrollFrames(page, 900, 300)
    const loaded = await page.locator('.message-list').getAttribute('data-count')
    frames.sort((a, b) => a - b)
    const frameP95 = percentile(frames, 95)
    // rAF timestamps step in whole vsyncs and jitter by a few hundredths of a millisecond around
    // them (16.6–16.8 ms for a frame on time): each interval is read as the vsyncs it spanned, so
    // "p95 ≤ 16.7 ms" means 95 % of frames were shown at the next vsync. The raw p95 stays in the note.
    const vsyncs = frames.map((f) => Math.max(1, Math.round(f / VSYNC_MS)) * VSYNC_MS)
    const vsyncP95 = percentile(vsyncs, 95)
    rows.push({
      area: 'renderer',
      measurement: `frame time scrolling the ${BIG_CHAT_MESSAGES.toLocaleString('en')}-message chat`,
      value: medianP95({ median: percentile(vsyncs, 50), p95: vsyncP95 }),
      goal: 'p95 ≤ 16.7 ms',
      met: vsyncP95 <= 16.7 ? 'yes' : 'NO',
      note: `900 frames, 300 px a frame, ${Number(loaded).toLocaleString('en')} messages loaded by the end; ${frames.filter((f) => f > 1.5 * VSYNC_MS).length} frames missed a vsync; wall clock in whole vsyncs (raw timestamps: median ${percentile(frames, 50).toFixed(2)} ms, p95 ${frameP95.toFixed(2)} ms)${loadNote()}`
    })
    // Further up the same chat under a trace: the main thread's CPU time per frame.
    const stopScroll = await startTrace(page)
    await scrollFrames(page, 300, 300)
    const frameCpu = cpuPerFrame(await stopScroll()).sort((a, b) => a - b)
    rows.push(
      cpuRow(
        'frame time scrolling it: main-thread CPU per frame',
        frameCpu,
        16.7,
        `${frameCpu.length} traced frames, 300 px a frame, older pages loading${loadNote()}`
      )
    )
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('HeapProfiler.collectGarbage')
    const { metrics } = await cdp.send('Performance.getMetrics')
    await cdp.send('Performance.enable')
    const m = (await cdp.send('Performance.getMetrics')).metrics
    const heap = (m.find((x) => x.name === 'JSHeapUsedSize') ?? metrics.find((x) => x.name === 'JSHeapUsedSize'))?.value ?? NaN
    const nodes = m.find((x) => x.name === 'Nodes')?.value ?? NaN
    rows.push({
      area: 'renderer',
      measurement: 'renderer JS heap after that scroll (after GC)',
      value: `${(heap / 1024 / 1024).toFixed(1)} MB`,
      note: `${nodes} DOM nodes`
    })
    const pss = await tabPssMb(browser)
    rows.push({
      area: 'renderer',
      measurement: 'tab PSS with 3 accounts (after that scroll)',
      value: `${pss.toFixed(0)} MB`,
      goal: '< 150 MB',
      met: pss < 150 ? 'yes' : 'NO',
      note: 'the renderer process, /proc/<pid>/smaps_rollup'
    })
    await page.close()
    rows.push(await soak(browser, host.url, host.core, accounts(dir)))
  } finally {
    await browser.close()
    await host.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}
