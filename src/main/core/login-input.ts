// A login's `input` step (a pairing code, a two-step password, "this is someone else"): the
// Connector waits for what the person types; the Api's submitLoginInput answers it once.

import { JunctionError } from '../../shared/errors'

/**
 * Resolves with the answer handed to the function `expose` receives, once; rejects when the
 * login is cancelled. `expose(null)` is called once answered, so a second answer finds none.
 */
export function waitForAnswer(
  signal: AbortSignal,
  expose: (answer: ((values: Record<string, string>) => void) | null) => void
): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const cancelled = (): JunctionError => new JunctionError('cancelled', 'The login was cancelled.')
    if (signal.aborted) return reject(cancelled())
    const onAbort = (): void => reject(cancelled())
    signal.addEventListener('abort', onAbort, { once: true })
    expose((values) => {
      expose(null)
      signal.removeEventListener('abort', onAbort)
      resolve(values)
    })
  })
}
