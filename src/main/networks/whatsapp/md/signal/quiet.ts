// libsignal@6.0.0 writes whole session records — private ratchet keys included — to the
// console when it opens or closes a session ("Closing session:", session), and a stack per
// failed decrypt (the "Bad MAC" storms of spec §13.1/§13.9). Secrets never reach a log here:
// this drops exactly those lines (matched by libsignal's own message prefixes) and nothing else.

const LIBSIGNAL_PREFIXES = [
  'Closing session:',
  'Opening session:',
  'Removing old closed session:',
  'Session already closed',
  'Session already open',
  'Closing open session in favor of incoming prekey bundle',
  'Decrypted message with closed session.',
  'Failed to decrypt message with any known session...',
  'Session error:',
  'Migrating session to:',
  'V1 session storage migration error',
  'WARNING: Expected pubkey of length 33',
  'Unhandled bucket type (for naming):'
]

let installed = false

export function fromLibsignal(first: unknown): boolean {
  return typeof first === 'string' && LIBSIGNAL_PREFIXES.some((p) => first.startsWith(p))
}

type ConsoleLike = Record<'info' | 'warn' | 'error' | 'log', (...args: unknown[]) => void>

/** Wraps the four methods of `target` so libsignal's lines are dropped. */
export function filterLibsignalLines(target: ConsoleLike): void {
  for (const method of ['info', 'warn', 'error', 'log'] as const) {
    const original = target[method].bind(target)
    target[method] = (...args: unknown[]) => {
      if (!fromLibsignal(args[0])) original(...args)
    }
  }
}

export function silenceLibsignalConsole(): void {
  if (installed) return
  installed = true
  filterLibsignalLines(console as unknown as ConsoleLike)
}
