import { useEffect } from 'react'
import { useApp } from '../context'
import { strings } from '../strings'

const TOAST_MS = 6_000

export function Toasts(): React.JSX.Element {
  const toasts = useApp((s) => s.toasts)
  const dismiss = useApp((s) => s.dismissToast)
  useEffect(() => {
    if (toasts.length === 0) return
    const t = window.setTimeout(() => dismiss(toasts[0]!.id), TOAST_MS)
    return () => window.clearTimeout(t)
  }, [toasts, dismiss])
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.tone}`} role={t.tone === 'error' ? 'alert' : 'status'}>
          <span>{t.text}</span>
          <button type="button" className="icon" aria-label={strings.dismiss} onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  )
}
