import { useEffect, useState } from 'react'
import { strings } from '../strings'

const KEY = 'junction.listWidth'
export const LIST_WIDTH = { min: 220, max: 560, initial: 320, step: 16 }

function saved(): number {
  const n = Number(localStorage.getItem(KEY))
  return Number.isFinite(n) && n >= LIST_WIDTH.min && n <= LIST_WIDTH.max ? n : LIST_WIDTH.initial
}

/** The chat list's width, kept across starts; set on the app element as --list-width. */
export function useListWidth(): [number, (n: number) => void] {
  const [width, setWidth] = useState(saved)
  useEffect(() => localStorage.setItem(KEY, String(width)), [width])
  return [width, (n) => setWidth(Math.min(LIST_WIDTH.max, Math.max(LIST_WIDTH.min, Math.round(n))))]
}

/** The handle between the chat list and the chat: drag it, or focus it and use ←/→. */
export function ListResizer({ width, onResize }: { width: number; onResize(n: number): void }): React.JSX.Element {
  return (
    // The WAI-ARIA window splitter: a focusable separator moved with the arrow keys.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions
    <div
      className="list-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label={strings.inbox.resize}
      aria-valuemin={LIST_WIDTH.min}
      aria-valuemax={LIST_WIDTH.max}
      aria-valuenow={width}
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
          e.preventDefault()
          onResize(width + (e.key === 'ArrowRight' ? LIST_WIDTH.step : -LIST_WIDTH.step))
        }
      }}
      onPointerDown={(e) => {
        const startX = e.clientX
        const startWidth = width
        const target = e.currentTarget
        target.setPointerCapture(e.pointerId)
        const move = (m: PointerEvent): void => onResize(startWidth + m.clientX - startX)
        const up = (): void => {
          target.removeEventListener('pointermove', move)
          target.removeEventListener('pointerup', up)
        }
        target.addEventListener('pointermove', move)
        target.addEventListener('pointerup', up)
      }}
    />
  )
}
