// Checks a picture or file draft against what the account's network takes (issue 12 §2)
// before the outbox writes it: a draft the network would refuse fails now, with a reason
// the renderer words, instead of sitting in the outbox to fail later.
//
// The refusal is `JunctionError('unsupported' | 'invalid-argument')` with reason
// `{ code: 'refused', params: { what, limit?, type? } }`, `what` being one of ATTACHMENT_REFUSALS.

import { JunctionError } from '../../shared/errors'
import type { NetworkCapabilities } from '../../shared/api'
import type { ComposedDraft } from '../../shared/model'

export const ATTACHMENT_REFUSALS = ['attachment-kind', 'attachment-size', 'attachment-type', 'attachment-damaged'] as const
export type AttachmentRefusal = (typeof ATTACHMENT_REFUSALS)[number]

/** Decoded length of canonical base64 (the bridge schema has already checked the alphabet). */
export function base64Length(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0
  return Math.floor((b64.length * 3) / 4) - pad
}

/** `type/*` matches any subtype; otherwise the type must match exactly (case-insensitive, parameters ignored). */
export function mimeAccepted(mime: string, accepted: readonly string[] | undefined): boolean {
  if (!accepted || accepted.length === 0) return true
  const m = mime.split(';')[0]!.trim().toLowerCase()
  return accepted.some((a) => {
    const t = a.toLowerCase()
    return t.endsWith('/*') ? m.startsWith(t.slice(0, -1)) : m === t
  })
}

function refuse(code: 'unsupported' | 'invalid-argument', what: AttachmentRefusal, message: string, params: Record<string, string> = {}): never {
  throw new JunctionError(code, message, { reason: { code: 'refused', params: { what, ...params } } })
}

/** Throws a typed refusal when the network cannot take this draft; text drafts always pass. */
export function checkAttachment(draft: ComposedDraft, caps: NetworkCapabilities): void {
  if (draft.kind !== 'image' && draft.kind !== 'file') return
  if (draft.kind === 'image' && !caps.sendImages)
    refuse('unsupported', 'attachment-kind', 'This network cannot send pictures from Junction.', { kind: 'image' })
  if (draft.kind === 'file' && !caps.sendFiles) refuse('unsupported', 'attachment-kind', 'This network cannot send files from Junction.', { kind: 'file' })
  const size = base64Length(draft.dataBase64)
  // The declared size is what the renderer showed the person; bytes that disagree were cut or padded on the way.
  if (draft.kind === 'file' && size !== draft.size) refuse('invalid-argument', 'attachment-damaged', 'The file arrived incomplete; attach it again.')
  if (caps.maxUploadBytes !== undefined && size > caps.maxUploadBytes)
    refuse('invalid-argument', 'attachment-size', 'The network does not take attachments this large.', { limit: String(caps.maxUploadBytes) })
  if (draft.kind === 'file' && !mimeAccepted(draft.mime, caps.acceptedTypes))
    refuse('invalid-argument', 'attachment-type', 'The network does not take files of this type.', { type: draft.mime })
}

/** At most this often per message does an upload's progress reach the renderer (~10 a second). */
export const PROGRESS_INTERVAL_MS = 100

/**
 * Turns a Connector's `onProgress` into `uploadProgress` Api events for one pending message:
 * at most one per PROGRESS_INTERVAL_MS, never going backwards (a retried upload starts again
 * at 0 on a new attempt, which gets a new reporter), and the last one (everything sent) always.
 */
export function uploadProgressReporter(
  emit: (payload: { messageId: string; chatId: string; sent: number; total: number }) => void,
  clock: () => number,
  message: { messageId: string; chatId: string },
  intervalMs = PROGRESS_INTERVAL_MS
): (sent: number, total: number) => void {
  let lastAt = -Infinity
  let lastSent = -1
  let done = false
  return (sent, total) => {
    if (done || !Number.isFinite(sent) || !Number.isFinite(total) || total <= 0) return
    const s = Math.max(0, Math.min(Math.floor(sent), Math.floor(total)))
    if (s < lastSent) return
    const complete = s === Math.floor(total)
    const now = clock()
    if (!complete && (s === lastSent || now - lastAt < intervalMs)) return
    lastAt = now
    lastSent = s
    done = complete
    emit({ ...message, sent: s, total: Math.floor(total) })
  }
}
