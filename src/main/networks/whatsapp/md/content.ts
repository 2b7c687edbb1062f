// Message content (spec §7.8): the wrappers a content may sit in, and its text.

import type { WAMediaMessage, WAMessage } from './proto'

/** Looks through the wrapper messages (spec §7.8) to the content. */
export function unwrap(message: WAMessage): WAMessage {
  let m = message
  for (let i = 0; i < 4; i++) {
    const inner =
      m.ephemeralMessage?.message ??
      m.viewOnceMessage?.message ??
      m.viewOnceMessageV2?.message ??
      m.documentWithCaptionMessage?.message ??
      m.editedMessage?.message
    if (!inner) break
    m = inner
  }
  return m
}

export function textOfMessage(m: WAMessage): string | undefined {
  return m.conversation ?? m.extendedTextMessage?.text
}

type ContextInfo = NonNullable<WAMediaMessage['contextInfo']>

/** spec §7.8: the ContextInfo (quote) of a text or media content. */
export function contextInfoOf(m: WAMessage): ContextInfo | undefined {
  return (
    m.extendedTextMessage?.contextInfo ??
    m.imageMessage?.contextInfo ??
    m.videoMessage?.contextInfo ??
    m.ptvMessage?.contextInfo ??
    m.audioMessage?.contextInfo ??
    m.documentMessage?.contextInfo ??
    m.stickerMessage?.contextInfo
  )
}
