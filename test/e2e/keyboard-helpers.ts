// Keyboard-only driving for the keyboard-*.e2e tests (issue 12 §4, §5 "keyboard reachable"):
// what has focus, pressing a key until a given element has it, whether its focus ring shows,
// and the clipboard. After setup these tests never click or hover: every step is a key.

import type { Locator, Page } from 'playwright'
import { PNG } from 'pngjs'
import { expect } from 'vitest'
import { screenshot } from '../helpers/browser'

/** The little of the DOM these helpers read inside the page (Node's types have no DOM). */
interface DomElement {
  tagName: string
  textContent: string | null
  getAttribute(name: string): string | null
  closest(selector: string): DomElement | null
  querySelector(selector: string): DomElement | null
  matches(selector: string): boolean
  ownerDocument: DomDocument
}
interface DomDocument {
  activeElement: DomElement | null
  body: DomElement
  defaultView: { getComputedStyle(el: DomElement): { outlineStyle: string; outlineWidth: string; outlineColor: string } } | null
}
type BrowserGlobal = { document: DomDocument; navigator: { clipboard: { readText(): Promise<string> } } }

/** What has focus, in the words a test checks it by. */
export interface Focus {
  tag: string
  role: string | null
  /** The accessible name as far as the attributes give it, else the text. */
  name: string
  /** The message it is, or is inside of. */
  messageId: string | null
  /** The chat-list row it is. */
  chatId: string | null
  /** A menu item's action id. */
  action: string | null
  /** Whether :focus-visible matches: the browser draws the keyboard focus ring. */
  visible: boolean
}

export async function focusOf(page: Page): Promise<Focus | null> {
  return page.evaluate(() => {
    const el = (globalThis as unknown as BrowserGlobal).document.activeElement
    if (!el || el === el.ownerDocument.body) return null
    return {
      tag: el.tagName.toLowerCase(),
      role: el.getAttribute('role'),
      name: el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 80),
      messageId: el.closest('[data-message-id]')?.getAttribute('data-message-id') ?? null,
      chatId: el.getAttribute('data-chat-id'),
      action: el.getAttribute('data-action'),
      visible: el.matches(':focus-visible')
    }
  })
}

/** Whether `target` has focus now (false, not a wait, when it is not on the page). */
export async function hasFocus(target: Locator): Promise<boolean> {
  return target.evaluateAll((els) => els.some((el) => (el as unknown as DomElement).ownerDocument.activeElement === (el as unknown as DomElement)))
}

/** Waits until `target` has focus (a key's effect lands a frame or two later). */
export async function expectFocus(target: Locator, what: string): Promise<void> {
  await expect.poll(() => hasFocus(target), { message: `focus on ${what}` }).toBe(true)
}

/**
 * Presses `key` until `target` has focus, as a person tabs until they get there; fails after
 * `max` presses. Resolves to the number of presses it took.
 */
export async function pressUntilFocused(page: Page, key: string, target: Locator, max = 25): Promise<number> {
  for (let i = 1; i <= max; i++) {
    const before = await page.evaluateHandle(() => (globalThis as unknown as BrowserGlobal).document.activeElement)
    await page.keyboard.press(key)
    // A key's effect may land a frame or two later (a menu opening, a roving focus moving):
    // judged before it lands, the target would be pressed past. Focus that does not move at
    // all (the end of a list) is judged after a short wait.
    await page
      .waitForFunction((prev) => (globalThis as unknown as BrowserGlobal).document.activeElement !== prev, before, { timeout: 300 })
      .catch(() => undefined)
    await before.dispose()
    if (await hasFocus(target)) return i
  }
  throw new Error(`${key} × ${max} never reached the target; focus is on ${JSON.stringify(await focusOf(page))}`)
}

interface Box {
  x: number
  y: number
  width: number
  height: number
}

/**
 * The outline the focused element draws, or for a message (whose ring is drawn on its bubble,
 * styles.css `.message:focus-visible .bubble`) its bubble's, and where that is on screen.
 */
export async function focusRing(page: Page): Promise<{ style: string; width: number; color: string; box: Box }> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as BrowserGlobal).document
    const active = doc.activeElement!
    const drawn = active.matches('[data-message-id]') ? (active.querySelector('.bubble') ?? active) : active
    const s = doc.defaultView!.getComputedStyle(drawn)
    const r = (drawn as unknown as { getBoundingClientRect(): Box }).getBoundingClientRect()
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor, box: { x: r.x, y: r.y, width: r.width, height: r.height } }
  })
}

/**
 * How much of the ring's outline is really on screen: the share of the element's perimeter
 * with a pixel of the ring's colour within 4 px outside or inside its edge. A ring clipped by a
 * scrolling parent or painted over by the next row computes fine and shows nothing.
 */
async function ringOnScreen(page: Page, box: Box, color: string): Promise<number> {
  const [r, g, b] = color.match(/\d+/g)!.map(Number) as [number, number, number]
  const pad = 4
  const clip = { x: Math.max(0, box.x - pad), y: Math.max(0, box.y - pad), width: box.width + 2 * pad, height: box.height + 2 * pad }
  const png = PNG.sync.read(await page.screenshot({ clip }))
  const near = (x: number, y: number): boolean => {
    const i = (y * png.width + x) * 4
    return Math.abs(png.data[i]! - r) + Math.abs(png.data[i + 1]! - g) + Math.abs(png.data[i + 2]! - b) < 60
  }
  const band = 2 * pad
  let hit = 0
  let total = 0
  // Each column along the top and bottom edge and each row along the left and right one: is the colour in the band there?
  for (let x = band; x < png.width - band; x++, total += 2) {
    if ([...Array(band).keys()].some((d) => near(x, d))) hit++
    if ([...Array(band).keys()].some((d) => near(x, png.height - 1 - d))) hit++
  }
  for (let y = band; y < png.height - band; y++, total += 2) {
    if ([...Array(band).keys()].some((d) => near(d, y))) hit++
    if ([...Array(band).keys()].some((d) => near(png.width - 1 - d, y))) hit++
  }
  return total === 0 ? 0 : hit / total
}

/**
 * The focused element shows a keyboard focus ring: `:focus-visible` matches, the ring is drawn
 * in the theme's focus colour (or the accent, for messages and menu items), and at least 90 %
 * of it is on screen. A screenshot of the state goes to /tmp/keyboard-<name>.png and
 * .artifacts/screenshots.
 */
export async function expectFocusRing(page: Page, name: string, colours: readonly string[]): Promise<void> {
  const f = await focusOf(page)
  expect(f?.visible, `${name}: :focus-visible on ${JSON.stringify(f)}`).toBe(true)
  const ring = await focusRing(page)
  expect(ring.style, `${name}: outline style`).not.toBe('none')
  expect(ring.width, `${name}: outline width`).toBeGreaterThanOrEqual(2)
  expect(colours, `${name}: outline colour`).toContain(ring.color)
  await page.screenshot({ path: `/tmp/keyboard-${name}.png` })
  await screenshot(page, `keyboard-${name}`)
  expect(await ringOnScreen(page, ring.box, ring.color), `${name}: share of the ring on screen`).toBeGreaterThanOrEqual(0.9)
}

/** The current theme's focus and accent colours as computed styles spell them (styles.css `--focus`, `--accent`). */
export async function ringColours(page: Page): Promise<string[]> {
  return page
    .evaluate(() => {
      const doc = (globalThis as unknown as BrowserGlobal).document
      const s = doc.defaultView!.getComputedStyle(doc.body) as unknown as { getPropertyValue(p: string): string }
      return ['--focus', '--accent'].map((v) => s.getPropertyValue(v).trim())
    })
    .then((hex) => hex.map(hexToRgb))
}

function hexToRgb(hex: string): string {
  const h = hex.replace('#', '')
  const n = parseInt(h.length === 3 ? [...h].map((c) => c + c).join('') : h, 16)
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`
}

export async function readClipboard(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as BrowserGlobal).navigator.clipboard.readText())
}

export const composerOf = (page: Page): Locator => page.getByRole('textbox', { name: 'Message' })

/**
 * The chat titled `title` with its composer focused: opened from the chat-list search
 * (Ctrl+Shift+F, type, Enter), which focuses the composer when it opens another chat; if that
 * chat was open already, focus stays in the search box and Tab goes on to the composer. Each
 * test starts here, whatever the one before left open.
 */
export async function atComposerOf(page: Page, title: string): Promise<void> {
  const header = () => page.locator('.chat-header h1').textContent()
  if ((await hasFocus(composerOf(page))) && (await header()) === title) return
  await page.keyboard.press('Control+Shift+F')
  await expectFocus(page.getByRole('searchbox', { name: 'Search chats' }), 'the chat-list search')
  await page.keyboard.press('Control+A')
  await page.keyboard.type(title)
  await page.keyboard.press('Enter')
  await expect.poll(header).toBe(title)
  if (!(await hasFocus(composerOf(page)))) await pressUntilFocused(page, 'Tab', composerOf(page), 30)
}

/**
 * From the composer back to the message list (Shift+Tab; the log is one Tab stop, so its
 * messages' links and reactions are not in the way) and up to its newest message (↑): the
 * focused message.
 */
export async function lastMessageOf(page: Page): Promise<Locator> {
  await pressUntilFocused(page, 'Shift+Tab', page.getByRole('log', { name: 'Messages' }), 30)
  await page.keyboard.press('ArrowUp')
  const id = (await focusOf(page))?.messageId
  expect(id, 'a message has focus').toBeTruthy()
  return page.locator(`[data-message-id="${id}"]`)
}
