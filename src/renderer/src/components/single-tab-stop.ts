import { useEffect, type RefObject } from 'react'

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])'
/** Focus arriving this soon after Shift+Tab went down is that key's doing (the browser moves it in the same task). */
const KEY_MS = 100

/** The first element after `list` in the Tab order that is not inside it and can take focus now. */
function focusableAfter(list: HTMLElement): HTMLElement | null {
  for (const el of document.querySelectorAll<HTMLElement>(FOCUSABLE)) {
    if (list.contains(el) || !(list.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) continue
    if (el.getClientRects().length > 0 && !el.closest('[inert], [hidden]')) return el
  }
  return null
}

/**
 * Makes the message log one stop in the Tab order, as a composite widget is (WAI-ARIA APG,
 * "Keyboard Navigation Inside Components"; issue 12 §4). Without it Shift+Tab from the composer
 * passed every reaction, quote, link and photo button of the messages on screen before it reached
 * the log, more of them the longer the chat. Now Tab from the log goes on past its messages, and
 * Shift+Tab from what follows lands on the log; the arrow keys reach the messages from there, and
 * Tab from a focused message still reaches that message's own controls. Only Shift+Tab's own move
 * is redirected: pointer focus, focus moved by code (a menu or dialog giving it back, a picker
 * opening) and focus onto a message itself are left alone.
 */
export function useSingleTabStop(ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const list = ref.current
    if (!list) return
    let backTabAt = -Infinity
    const key = (e: KeyboardEvent): void => {
      if (e.key === 'Tab' && e.shiftKey) backTabAt = performance.now()
    }
    const keydown = (e: KeyboardEvent): void => {
      if (e.key !== 'Tab' || e.shiftKey || e.target !== list) return
      const next = focusableAfter(list)
      if (!next) return
      e.preventDefault()
      next.focus()
    }
    const focusin = (e: FocusEvent): void => {
      const target = e.target as HTMLElement
      const from = e.relatedTarget
      if (target === list || target.matches('[data-message-id]') || performance.now() - backTabAt > KEY_MS) return
      if (!(from instanceof Node) || list.contains(from)) return
      // Came in backwards, from what follows the log (Shift+Tab): stop on the log itself.
      if (list.compareDocumentPosition(from) & Node.DOCUMENT_POSITION_FOLLOWING) list.focus()
    }
    document.addEventListener('keydown', key, true)
    list.addEventListener('keydown', keydown)
    list.addEventListener('focusin', focusin)
    return () => {
      document.removeEventListener('keydown', key, true)
      list.removeEventListener('keydown', keydown)
      list.removeEventListener('focusin', focusin)
    }
  }, [ref])
}
