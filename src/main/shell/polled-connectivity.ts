// Tells the session supervisors that the machine's network is back (issue 10 §1), from
// two Electron sources injected here: `net.isOnline()` polled every few seconds (Chromium
// has no online event in the main process) and powerMonitor's `resume` (after sleep the
// sockets are dead, whatever isOnline says). Polling runs only while someone listens.

import type { Connectivity } from '../networks/connector'

export interface ConnectivitySources {
  isOnline(): boolean
  /** Subscribes to the OS waking up; returns the unsubscribe. */
  onResume(listener: () => void): () => void
  intervalMs?: number
  timers?: { setInterval(fn: () => void, ms: number): unknown; clearInterval(handle: unknown): void }
  onListenerError?: (error: unknown) => void
}

export const CONNECTIVITY_POLL_MS = 3000

export function createPolledConnectivity(sources: ConnectivitySources): Connectivity & { stop(): void } {
  const timers = sources.timers ?? {
    setInterval: (fn: () => void, ms: number) => setInterval(fn, ms).unref(),
    clearInterval: (h: unknown) => clearInterval(h as NodeJS.Timeout)
  }
  const listeners = new Set<() => void>()
  let online = true
  let poll: unknown = null
  let unsubscribeResume: (() => void) | null = null

  const fire = (): void => {
    for (const listener of [...listeners]) {
      try {
        listener()
      } catch (error) {
        sources.onListenerError?.(error)
      }
    }
  }
  const check = (): void => {
    const now = sources.isOnline()
    const cameBack = now && !online
    online = now
    if (cameBack) fire()
  }
  const startWatching = (): void => {
    online = sources.isOnline()
    poll = timers.setInterval(check, sources.intervalMs ?? CONNECTIVITY_POLL_MS)
    unsubscribeResume = sources.onResume(() => {
      online = sources.isOnline()
      if (online) fire()
    })
  }
  const stopWatching = (): void => {
    if (poll !== null) timers.clearInterval(poll)
    poll = null
    unsubscribeResume?.()
    unsubscribeResume = null
  }

  return {
    onOnline(listener) {
      listeners.add(listener)
      if (listeners.size === 1 && poll === null) startWatching()
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0) stopWatching()
      }
    },
    stop() {
      listeners.clear()
      stopWatching()
    }
  }
}
