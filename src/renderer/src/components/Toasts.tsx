import { useEffect } from 'react'
import type { Toast } from '../state/ui'
import { useApp } from '../context'
import { strings } from '../strings'

/** Each toast goes on its own clock; an error stays longer. Hovering or focusing it does not matter: it can be dismissed at once too. */
const TOAST_MS = { info: 5_000, error: 9_000 } as const

function ToastItem({ toast, dismiss }: { toast: Toast; dismiss(id: number): void }): React.JSX.Element {
  useEffect(() => {
    const t = window.setTimeout(() => dismiss(toast.id), TOAST_MS[toast.tone === 'error' ? 'error' : 'info'])
    return () => window.clearTimeout(t)
  }, [toast.id, toast.tone, dismiss])
  return (
    <div className={`toast toast-${toast.tone}`} role={toast.tone === 'error' ? 'alert' : 'status'}>
      <span>{toast.text}</span>
      <button type="button" className="icon" aria-label={strings.dismiss} onClick={() => dismiss(toast.id)}>
        ×
      </button>
    </div>
  )
}

export function Toasts(): React.JSX.Element {
  const toasts = useApp((s) => s.toasts)
  const dismiss = useApp((s) => s.dismissToast)
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} dismiss={dismiss} />
      ))}
    </div>
  )
}
