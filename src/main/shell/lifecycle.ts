// Start and quit (issue 11 §14). A failed start must be seen (a dialog naming the reason
// and the log file) and end the process with a non-zero code; quitting must wait until
// the outbox and the database are closed, but not forever.

export interface StartupFailure {
  title: string
  content: string
  exitCode: number
}

/** The dialog for a start that failed. JunctionError messages are written for people and carry no secrets. */
export function startupFailure(error: unknown, logFile: string | null): StartupFailure {
  const reason = error instanceof Error && error.message ? error.message : 'An unknown error stopped it.'
  const where = logFile ? `\n\nDetails are in the log file:\n${logFile}` : ''
  return { title: 'Junction could not start', content: `${reason}${where}`, exitCode: 1 }
}

/** Runs `start`; any failure (thrown or rejected) goes to `onFailure` instead of escaping as an unhandled rejection. */
export async function startSafely(start: () => Promise<void>, onFailure: (error: unknown) => void): Promise<void> {
  try {
    await start()
  } catch (error) {
    onFailure(error)
  }
}

export type CloseOutcome = 'closed' | 'timed-out' | 'failed'

export async function closeWithin(
  close: () => Promise<void>,
  timeoutMs: number,
  timers: { setTimeout: (fn: () => void, ms: number) => unknown; clearTimeout: (handle: unknown) => void } = {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout)
  }
): Promise<CloseOutcome> {
  let handle: unknown
  const timedOut = new Promise<CloseOutcome>((resolve) => {
    handle = timers.setTimeout(() => resolve('timed-out'), timeoutMs)
  })
  const closed = close().then(
    (): CloseOutcome => 'closed',
    (): CloseOutcome => 'failed'
  )
  try {
    return await Promise.race([closed, timedOut])
  } finally {
    timers.clearTimeout(handle)
  }
}

export interface QuitGuardOptions {
  /** Closes Core (outbox, connectors, database); null when it never started. */
  close: (() => Promise<void>) | null
  timeoutMs: number
  /** app.exit: ends the process without emitting before-quit again. */
  exit: (code: number) => void
  onOutcome?: (outcome: CloseOutcome) => void
  closeWithin?: typeof closeWithin
}

/**
 * The `before-quit` listener: the first quit is held (preventDefault) until Core has
 * closed or the timeout passed, then the process exits; quits asked for meanwhile (a
 * second Cmd+Q, the tray's Quit) are held too and change nothing.
 */
export function createQuitGuard(options: QuitGuardOptions): (event: { preventDefault(): void }) => void {
  let state: 'running' | 'closing' | 'done' = 'running'
  const wait = options.closeWithin ?? closeWithin
  return (event) => {
    if (state === 'done') return
    event.preventDefault()
    if (state === 'closing') return
    state = 'closing'
    const closing = options.close ? wait(options.close, options.timeoutMs) : Promise.resolve<CloseOutcome>('closed')
    void closing.then((outcome) => {
      state = 'done'
      options.onOutcome?.(outcome)
      options.exit(outcome === 'closed' ? 0 : 1)
    })
  }
}
