import { useEffect, useState } from 'react'

/**
 * Whole seconds left until `deadline` (epoch ms), ticking once a second; null without a
 * deadline. The time is read at each render, so a 20 s code starts at 20, not at 21 as it
 * did when the clock was the one of the component's first render.
 */
export function useCountdown(deadline: number | null | undefined): number | null {
  const [, setTick] = useState(0)
  useEffect(() => {
    if (!deadline) return
    const t = window.setInterval(() => setTick((n) => n + 1), 1000)
    return () => window.clearInterval(t)
  }, [deadline])
  if (!deadline) return null
  return Math.max(0, Math.ceil((deadline - Date.now() - 50) / 1000))
}
