// The headless host's last line: an exception nothing caught, or a rejection nothing
// handled, is logged (without secrets) and survived, because ending the process ends every
// session. Two cases are not survived: a storm (many in a short time: something is looping
// and the state cannot be trusted) and errors that say the profile's storage is damaged.

import type { Logger } from '../base/log'

export interface ProcessGuardOptions {
  log: Logger
  /** Strings that must never reach a log line, e.g. the launch token; read at each failure. */
  secrets?: () => readonly string[]
  /** Called once when the process should stop: a storm, or a fatal error. */
  onFatal: (why: 'storm' | 'fatal-error') => void
  /** A storm is more than this many failures within `stormWindowMs`. */
  stormLimit?: number
  stormWindowMs?: number
  now?: () => number
}

/** The part of `process` the guard needs, so a test can hand it a plain emitter. */
export interface GuardedProcess {
  on(event: 'uncaughtException', listener: (error: unknown, origin?: string) => void): unknown
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown
  off(event: 'uncaughtException', listener: (error: unknown, origin?: string) => void): unknown
  off(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown
}

/** SQLite's codes for a damaged or vanished database: carrying on would write into a broken profile. */
const FATAL_CODES = /^(SQLITE_CORRUPT|SQLITE_NOTADB|SQLITE_IOERR|ERR_WORKER_OUT_OF_MEMORY)/

const MAX_MESSAGE = 300
const MAX_STACK_FRAMES = 8

/** Replaces every secret and every `token=…`-like parameter; logs may leave the machine. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('<redacted>')
  return out.replace(/\b(token|access_token|refresh_token|secret|password|key|ticket|code)=[^&\s#"']+/gi, '$1=<redacted>')
}

/** What a log line may say about a failure: its kind, code, a scrubbed message and stack frames. */
export function describeFailure(error: unknown, secrets: readonly string[]): Record<string, unknown> {
  if (!(error instanceof Error)) return { kind: typeof error }
  const code = (error as { code?: unknown }).code
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, MAX_STACK_FRAMES)
    .map((line) => scrub(line.trim(), secrets))
  return {
    kind: error.name,
    ...(typeof code === 'string' ? { code } : {}),
    text: scrub(error.message, secrets).slice(0, MAX_MESSAGE),
    frames
  }
}

export function isFatalError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
  return typeof code === 'string' && FATAL_CODES.test(code)
}

/** Installs the guard on `proc` (the real `process` by default); returns its removal. */
export function installProcessGuard(options: ProcessGuardOptions, proc: GuardedProcess = process): () => void {
  const limit = options.stormLimit ?? 5
  const windowMs = options.stormWindowMs ?? 60_000
  const now = options.now ?? Date.now
  const recent: number[] = []
  let stopping = false

  const record = (kind: 'uncaught-exception' | 'unhandled-rejection', error: unknown): void => {
    try {
      const t = now()
      recent.push(t)
      while (recent.length > 0 && recent[0]! <= t - windowMs) recent.shift()
      const fatal = isFatalError(error)
      const storm = recent.length > limit
      options.log.error({ kind, failure: describeFailure(error, options.secrets?.() ?? []), survived: !fatal && !storm }, 'unexpected failure')
      if ((fatal || storm) && !stopping) {
        stopping = true
        options.onFatal(fatal ? 'fatal-error' : 'storm')
      }
    } catch {
      // The guard itself must never throw: a throw here would end the process at once.
    }
  }
  const onException = (error: unknown): void => record('uncaught-exception', error)
  const onRejection = (reason: unknown): void => record('unhandled-rejection', reason)
  proc.on('uncaughtException', onException)
  proc.on('unhandledRejection', onRejection)
  return () => {
    proc.off('uncaughtException', onException)
    proc.off('unhandledRejection', onRejection)
  }
}
