// How the renderer bench drives the page (renderer.bench.ts, renderer-profile.ts): opening a
// chat by clicking its row and waiting for it on screen, the reference click that changes
// nothing, and scrolling the message list a frame at a time. Each runs inside the page.

import type { Page } from 'playwright'

// Functions passed to page.evaluate run in the page; the Node tsconfig has no DOM, so this one global is declared here.
declare const requestAnimationFrame: (callback: (time: number) => void) => number

/** Wall time from a click on the chat's row to the frame callback that first shows the chat. */
export async function timeToOpenChat(page: Page, title: string): Promise<number> {
  return (await openChatTimed(page, title)).ms
}

/**
 * The reference for opening a chat: a click on the open chat's title (which does nothing) and
 * the wall time to the next frame callback, measured as `openChatTimed` measures. Its time is
 * the wait for the next frame alone, which a click at a random phase cannot avoid.
 */
export async function emptyClickToFrame(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): { click(): void; getBoundingClientRect(): unknown } | null } }).document
    const title = doc.querySelector('.chat-header h1')
    if (!title) throw new Error('no chat is open')
    const start = performance.now()
    title.click()
    await new Promise((r) => requestAnimationFrame(r))
    title.getBoundingClientRect()
    return performance.now() - start
  })
}

/**
 * Clicks a chat row and waits for the chat on screen: the wall time to the frame callback that
 * first sees it, and how many frames that was (1: the first frame after the click showed it).
 */
export async function openChatTimed(page: Page, title: string): Promise<{ ms: number; frames: number }> {
  return page.evaluate(async (t) => {
    interface Box {
      top: number
      bottom: number
    }
    const doc = (
      globalThis as unknown as {
        document: {
          querySelectorAll(s: string): ArrayLike<{ textContent: string | null; click(): void; getBoundingClientRect(): Box }>
          querySelector(s: string): { textContent: string | null; getBoundingClientRect(): Box } | null
        }
      }
    ).document
    const row = Array.from(doc.querySelectorAll('.chat-row')).find((r) => r.textContent?.includes(t))
    if (!row) throw new Error(`no chat ${t}`)
    // Marks for the trace (trace.ts): the main thread's CPU time of this open.
    performance.mark('junction-bench-open:start')
    const start = performance.now()
    row.click()
    for (let frames = 1; ; frames++) {
      await new Promise((r) => requestAnimationFrame(r))
      const header = doc.querySelector('.chat-header h1')
      // On screen: a message row inside the list's visible box, not merely in the DOM.
      const box = doc.querySelector('.message-list')?.getBoundingClientRect()
      const rows = Array.from(doc.querySelectorAll('.message-list .virtual-row'))
      const visible =
        box !== undefined &&
        rows.some((r) => {
          const b = r.getBoundingClientRect()
          return b.bottom > box.top && b.top < box.bottom
        })
      if (header?.textContent === t && visible) {
        const elapsed = performance.now() - start
        performance.mark('junction-bench-open:end')
        return { ms: elapsed, frames }
      }
    }
  }, title)
}

/** Scrolls up through the chat for `frames` frames, `step` pixels a frame; returns every frame's duration. */
export async function scrollFrames(page: Page, frames: number, step: number): Promise<number[]> {
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
