import { useEffect, useState } from 'react'

/** Whole seconds left until `deadline` (epoch ms), ticking once a second; null without a deadline. */
export function useCountdown(deadline: number | null | undefined): number | null {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    if (!deadline) return
    const t = window.setInterval(() => setNow(Date.now()), 1000)
    return () => window.clearInterval(t)
  }, [deadline])
  if (!deadline) return null
  return Math.max(0, Math.ceil((deadline - now) / 1000))
}
