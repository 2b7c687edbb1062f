import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { restoreFocus } from './focus'

export interface MenuItem {
  id: string
  label: string
  danger?: boolean
  run(): void
}

/**
 * A context menu at a point (the pointer, or the message for the keyboard): role="menu", the
 * arrow keys, Home and End move, Enter runs, Esc and Tab close, and focus goes back where it was.
 */
export function MessageMenu({
  label,
  items,
  at,
  onClose
}: {
  label: string
  items: MenuItem[]
  at: { x: number; y: number }
  onClose(): void
}): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null)
  const [pos, setPos] = useState(at)
  // Kept inside the window: a menu opened near the bottom or the right edge opens up or left.
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const r = el.getBoundingClientRect()
    setPos({ x: Math.max(4, Math.min(at.x, window.innerWidth - r.width - 4)), y: Math.max(4, Math.min(at.y, window.innerHeight - r.height - 4)) })
  }, [at])
  useEffect(() => {
    const before = document.activeElement
    ref.current?.querySelector<HTMLButtonElement>('[role="menuitem"]')?.focus()
    const outside = (e: PointerEvent): void => {
      if (!ref.current?.contains(e.target as Node)) onClose()
    }
    document.addEventListener('pointerdown', outside, true)
    return () => {
      document.removeEventListener('pointerdown', outside, true)
      restoreFocus(before)
    }
  }, [onClose])
  const keys = (e: React.KeyboardEvent): void => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])]
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement)
    const next =
      e.key === 'ArrowDown'
        ? (at + 1) % buttons.length
        : e.key === 'ArrowUp'
          ? (at - 1 + buttons.length) % buttons.length
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? buttons.length - 1
              : -1
    if (next >= 0) {
      e.preventDefault()
      buttons[next]?.focus()
    } else if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault()
      e.stopPropagation()
      onClose()
    }
  }
  // On the page's body: a message row is transformed (the virtual list), which would carry a fixed menu with it.
  return createPortal(
    <div
      ref={ref}
      tabIndex={-1}
      className="message-menu"
      role="menu"
      aria-label={label}
      style={{ left: pos.x, top: pos.y }}
      onKeyDown={keys}
      onContextMenu={(e) => {
        e.preventDefault()
        e.stopPropagation()
      }}
    >
      {items.map((item) => (
        <button
          key={item.id}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={item.danger ? 'danger' : undefined}
          data-action={item.id}
          onClick={() => {
            onClose()
            item.run()
          }}
        >
          {item.label}
        </button>
      ))}
    </div>,
    document.body
  )
}
