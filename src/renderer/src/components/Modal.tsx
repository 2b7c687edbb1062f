import { useEffect, useRef, type ReactNode } from 'react'
import { restoreFocus } from './focus'

/**
 * A modal on the native <dialog>: focus moves into it and is trapped there, Esc closes it,
 * and focus returns where it was.
 */
export function Modal({
  label,
  labelledBy,
  className,
  onClose,
  children
}: {
  label?: string
  labelledBy?: string
  className?: string
  onClose(): void
  children: ReactNode
}): React.JSX.Element {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const d = ref.current
    const before = document.activeElement
    if (d && !d.open) d.showModal()
    return () => {
      if (d?.open) d.close()
      restoreFocus(before)
    }
  }, [])
  return (
    // The keyboard's way out is Esc (onCancel); the click handler is the pointer's, on the backdrop.
    // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-noninteractive-element-interactions
    <dialog
      ref={ref}
      className={`modal ${className ?? ''}`}
      aria-label={label}
      aria-labelledby={labelledBy}
      onCancel={(e) => {
        e.preventDefault()
        onClose()
      }}
      onClick={(e) => {
        // A click on the backdrop (the dialog box itself, outside its content) closes it.
        if (e.target === e.currentTarget) onClose()
      }}
    >
      <div className="modal-body">{children}</div>
    </dialog>
  )
}
