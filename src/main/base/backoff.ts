// Exponential back-off with full jitter, shared by reconnect loops and the outbox.

export interface BackoffOptions {
  baseMs: number
  maxMs: number
  /** 0 = deterministic, 1 = full jitter. */
  jitter: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, maxMs: 60_000, jitter: 0.3 }

export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)))
  const jitter = exp * options.jitter * random()
  return Math.round(exp - jitter)
}
