// Reasons and errors in words. Main sends codes and parameters; the words are the renderer's (strings.ts).

import type { Reason } from '../../shared/errors'
import { JunctionError } from '../../shared/errors'
import { strings } from './strings'

/** A reason in words, for the network it is about. */
export function describeReason(reason: Reason, network: string): string {
  const words = strings.reasons[reason.code] ?? strings.reasons.unknown
  return words(reason.params ?? {}, network)
}

/** An error in words: its reason where it carries one, else what its code means. */
export function describeError(error: unknown, network = 'The network'): string {
  if (error instanceof JunctionError) return error.reason ? describeReason(error.reason, network) : strings.errors[error.code]
  return strings.errors.internal
}
