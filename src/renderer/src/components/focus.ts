/**
 * Gives focus back to `el`, where a menu, picker or dialog found it. A message's toolbar shows
 * only while focus is within its message (styles.css `.message:focus-within .message-toolbar`),
 * and a hidden button cannot take focus: once the menu, picker or dialog it opened is gone,
 * nothing in the message has focus, so the toolbar is hidden and `focus()` on its button does
 * nothing. Then the nearest focusable ancestor (the message) takes focus first, which shows the
 * toolbar, and the button after it.
 */
export function restoreFocus(el: Element | null): void {
  if (!(el instanceof HTMLElement) || !el.isConnected) return
  el.focus()
  if (document.activeElement === el) return
  el.parentElement?.closest<HTMLElement>('[tabindex]')?.focus()
  el.focus()
}

/** Whether focus is nowhere (its element was removed): only then is it given back. */
export function focusLost(): boolean {
  return document.activeElement === null || document.activeElement === document.body
}
