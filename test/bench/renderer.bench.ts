// Renderer figures, measured in Debian's Chromium against the headless host: time from page
// load to an interactive inbox of 10,000 chats, opening a chat, frame times while scrolling
// a 100,000-message chat (loading older pages as it goes), and renderer memory after that.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright'
import { silentLogger } from '../../src/main/base/log'
import { openProfileStore } from '../../src/main/core/profile'
import { startHost } from '../../src/main/host/host'
import { launchChromium } from '../helpers/browser'
import { RENDERER_DIR } from '../helpers/host-harness'
import { medianP95, percentile, type Row } from './table'

// Functions passed to page.evaluate run in the page; the Node tsconfig has no DOM, so this one global is declared here.
declare const requestAnimationFrame: (callback: (time: number) => void) => number

const CHATS = 10_000
const BIG_CHAT_MESSAGES = 100_000

function seed(dataDir: string): void {
  const store = openProfileStore(dataDir)
  const accounts = (['whatsapp', 'line', 'skype'] as const).map((network, i) =>
    store.accounts.insert({ network, selfId: `me-${i}`, displayName: `Me ${i}`, sealedCredentials: new Uint8Array(0), now: 1 }).id
  )
  const base = 1_750_000_000_000
  store.transaction(() => {
    for (let i = 0; i < CHATS; i++) {
      const accountId = accounts[i % 3]!
      const id = store.chats.upsert(accountId, { remoteId: `c${i}`, kind: i % 9 ? 'direct' : 'group', title: `Chat ${i}`, unread: i % 7 === 0 ? 2 : 0 }).id
      const m = store.messages.upsert(id, accountId, { chatRemoteId: `c${i}`, remoteId: `last${i}`, senderId: `c${i}`, fromMe: false, timestamp: base + i * 1000, kind: 'text', text: `last message of chat ${i}` })
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
        store.messages.upsert(big, accounts[0]!, { chatRemoteId: 'big', remoteId: `b${n}`, senderId: n % 3 ? 'friend' : 'me-0', fromMe: n % 3 === 0, timestamp: base + CHATS * 1000 + n * 30_000, kind: 'text', text })
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

async function timeToOpenChat(page: Page, title: string): Promise<number> {
  return page.evaluate(async (t) => {
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null; click(): void; closest(s: string): unknown }>; querySelector(s: string): { textContent: string | null } | null } }).document
    const row = Array.from(doc.querySelectorAll('.chat-row')).find((r) => r.textContent?.includes(t))
    if (!row) throw new Error(`no chat ${t}`)
    const start = performance.now()
    row.click()
    for (;;) {
      await new Promise((r) => requestAnimationFrame(r))
      const header = doc.querySelector('.chat-header h1')
      const rows = doc.querySelectorAll('.message-list .virtual-row')
      if (header?.textContent === t && rows.length > 0) return performance.now() - start
    }
  }, title)
}

/** Scrolls up through the chat for `frames` frames, `step` pixels a frame; returns every frame's duration. */
async function scrollFrames(page: Page, frames: number, step: number): Promise<number[]> {
  return page.evaluate(
    async ({ frames, step }) => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): { scrollTop: number } | null } }).document
      const list = doc.querySelector('.message-list')!
      const times: number[] = []
      let last = await new Promise<number>((r) => requestAnimationFrame(r))
      for (let i = 0; i < frames; i++) {
        list.scrollTop = Math.max(0, list.scrollTop - step)
        const now = await new Promise<number>((r) => requestAnimationFrame(r))
        times.push(now - last)
        last = now
      }
      return times
    },
    { frames, step }
  )
}

export async function benchRenderer(): Promise<Row[]> {
  const rows: Row[] = []
  const dir = mkdtempSync(join(tmpdir(), 'junction-bench-ui-'))
  seed(dir)
  const host = await startHost({ dataDir: dir, rendererDir: RENDERER_DIR, networks: [], log: silentLogger, version: 'bench' })
  const browser = await launchChromium()
  try {
    const loads: number[] = []
    for (let i = 0; i < 7; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
      loads.push(await timeToInteractiveInbox(page, host.url))
      await page.close()
    }
    loads.sort((a, b) => a - b)
    rows.push({ area: 'renderer', measurement: `page load → interactive inbox (${CHATS.toLocaleString('en')} chats, 3 accounts)`, value: medianP95({ median: percentile(loads, 50), p95: percentile(loads, 95) }), note: '7 cold page loads' })

    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
    await page.goto(host.url)
    await page.locator('.chat-row').first().waitFor()
    const opens: number[] = []
    for (let i = 0; i < 10; i++) opens.push(await timeToOpenChat(page, i % 2 ? 'Chat 9998' : 'Busy chat'))
    opens.sort((a, b) => a - b)
    rows.push({ area: 'renderer', measurement: 'open a chat (click → messages on screen)', value: medianP95({ median: percentile(opens, 50), p95: percentile(opens, 95) }), note: 'alternating the 100,000-message chat and a small one' })

    await timeToOpenChat(page, 'Busy chat')
    const frames = await scrollFrames(page, 900, 300)
    const loaded = await page.locator('.message-list').getAttribute('data-count')
    frames.sort((a, b) => a - b)
    rows.push({
      area: 'renderer',
      measurement: `frame time scrolling the ${BIG_CHAT_MESSAGES.toLocaleString('en')}-message chat`,
      value: medianP95({ median: percentile(frames, 50), p95: percentile(frames, 95) }),
      note: `900 frames, 300 px a frame, ${Number(loaded).toLocaleString('en')} messages loaded by the end`
    })
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('HeapProfiler.collectGarbage')
    const { metrics } = await cdp.send('Performance.getMetrics')
    await cdp.send('Performance.enable')
    const m = (await cdp.send('Performance.getMetrics')).metrics
    const heap = (m.find((x) => x.name === 'JSHeapUsedSize') ?? metrics.find((x) => x.name === 'JSHeapUsedSize'))?.value ?? NaN
    const nodes = m.find((x) => x.name === 'Nodes')?.value ?? NaN
    rows.push({ area: 'renderer', measurement: 'renderer JS heap after that scroll (after GC)', value: `${(heap / 1024 / 1024).toFixed(1)} MB`, note: `${nodes} DOM nodes` })
  } finally {
    await browser.close()
    await host.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}
