// What the composer sends for what was typed: the network's text limit, splitting text that
// is longer, and "/me" only where the network has emotes (elsewhere the contact would read
// something other than what Junction shows).

import type { OutgoingDraft } from '../../shared/model'

/** The Api's own cap on one text (src/main/bridge/schemas.ts LIMITS.text), for networks that declare none. */
export const API_TEXT_LIMIT = 64 * 1024

/** Show the counter once the text is this close to the limit. */
export const COUNTER_FROM = 0.9

export type TextDraft = Extract<OutgoingDraft, { kind: 'text' | 'emote' }>

export function textDraft(body: string, emotes: boolean): TextDraft {
  const emote = emotes ? /^\/me\s+(.+)$/s.exec(body) : null
  return emote ? { kind: 'emote', text: emote[1]! } : { kind: 'text', text: body }
}

/**
 * Splits text into parts of at most `limit` code units, at the last paragraph break, line
 * break or space inside each part where there is one, never inside a surrogate pair.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 2) throw new RangeError('limit too small')
  const parts: string[] = []
  let rest = text
  while (rest.length > limit) {
    let cut = -1
    for (const sep of ['\n\n', '\n', ' ']) {
      const at = rest.lastIndexOf(sep, limit - sep.length)
      if (at > limit / 2) {
        cut = at + sep.length
        break
      }
    }
    if (cut === -1) {
      cut = limit
      const code = rest.charCodeAt(cut - 1)
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1
    }
    const part = rest.slice(0, cut).trimEnd()
    if (part) parts.push(part)
    rest = rest.slice(cut).trimStart()
  }
  if (rest) parts.push(rest)
  return parts
}
