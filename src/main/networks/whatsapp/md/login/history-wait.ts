// The login's wait for the history sync (spec §10.3): chunks arrive on the inbound path as
// the phone sends them; the add-account dialog shows their progress.

import type { LoginIO } from '../../../connector'

export class HistoryProgress {
  private readonly listeners = new Set<(progress: number) => void>()

  /** A history chunk was stored, with the phone's progress 0…100. */
  notify(progress: number): void {
    for (const listener of [...this.listeners]) listener(progress)
  }

  /**
   * spec §10.3: after linking, the phone sends the recent chats. The login reports each chunk's
   * progress (the add-account dialog) and `wait()` lasts until the phone reports 100 %, or no
   * chunk came for `historyWaitMs`; whatever arrives later is stored as it comes.
   */
  watch(io: LoginIO, waitMs: number): { wait(): Promise<void>; cancel(): void } {
    let complete = false
    let finish: () => void = () => {}
    let timer: NodeJS.Timeout | undefined
    const arm = (): void => {
      clearTimeout(timer)
      timer = setTimeout(() => finish(), waitMs)
    }
    let waiting = false
    const onChunk = (progress: number): void => {
      io.step({ kind: 'progress', stage: 'syncing', fraction: Math.min(1, progress / 100) })
      if (progress >= 100) {
        complete = true
        finish()
      } else if (waiting) arm()
    }
    this.listeners.add(onChunk)
    return {
      cancel: () => this.listeners.delete(onChunk),
      wait: () =>
        new Promise<void>((resolve) => {
          finish = () => {
            clearTimeout(timer)
            this.listeners.delete(onChunk)
            io.signal.removeEventListener('abort', finish)
            resolve()
          }
          if (complete || io.signal.aborted) return finish()
          io.signal.addEventListener('abort', finish)
          waiting = true
          arm()
        })
    }
  }
}
