// Tests wait for named events instead of sleeping.

import type { Emitter } from '../../src/main/base/emitter'

export function waitFor<Events extends object, K extends keyof Events>(
  emitter: Emitter<Events>,
  name: K,
  predicate: (payload: Events[K]) => boolean = () => true,
  timeoutMs = 5_000
): Promise<Events[K]> {
  return new Promise((resolve, reject) => {
    const off = emitter.on(name, (payload) => {
      if (!predicate(payload)) return
      clearTimeout(timer)
      off()
      resolve(payload)
    })
    const timer = setTimeout(() => {
      off()
      reject(new Error(`timed out waiting for ${String(name)}`))
    }, timeoutMs)
  })
}

/** Polls `check` until it returns a truthy value (for state that has no event of its own). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5_000, intervalMs = 10): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await check()
      if (value) return value as NonNullable<T>
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`)
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}
