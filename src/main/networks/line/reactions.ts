// LINE reactions (spec §5 react/cancelReaction, §6.1 field 27, §6.2 PredefinedReactionType,
// §6.5 ops 139/140): the six predefined reactions as emoji, the server-filled `reactions` of a
// message, and the reaction operations. Paid (sticon) reactions have no emoji and are not shown.

import type { IncomingReaction } from '../connector'
import type { Message } from './wire'

/** spec §6.2: 2 NICE 👍, 3 LOVE ❤️, 4 FUN 😆, 5 AMAZING 😮, 6 SAD 😢, 7 OMG 😡 (0 ALL and 1 UNDO are not reactions). */
export const REACTION_EMOJI: ReadonlyMap<number, string> = new Map([
  [2, '👍'],
  [3, '❤️'],
  [4, '😆'],
  [5, '😮'],
  [6, '😢'],
  [7, '😡']
])

const TYPE_OF_EMOJI: ReadonlyMap<string, number> = new Map([...REACTION_EMOJI].map(([type, emoji]) => [emoji, type]))

/** The set a person can pick from (NetworkCapabilities.reactionEmoji). */
export const LINE_REACTIONS: readonly string[] = [...REACTION_EMOJI.values()]

export function reactionTypeOf(emoji: string): number | undefined {
  // A heart typed without the variation selector is the same reaction.
  return TYPE_OF_EMOJI.get(emoji) ?? TYPE_OF_EMOJI.get(`${emoji}\uFE0F`)
}

/** A message's `reactions` as the shared model has them; undefined when the field is absent (nothing known). */
export function reactionsOf(m: Message, selfMid: string): IncomingReaction[] | undefined {
  if (!m.reactions) return undefined
  const out: IncomingReaction[] = []
  for (const raw of m.reactions) {
    if (typeof raw !== 'object' || raw === null) continue
    const r = raw as { fromUserMid?: unknown; atMillis?: unknown; reactionType?: { predefinedReactionType?: unknown } | null }
    const type = r.reactionType?.predefinedReactionType
    const emoji = typeof type === 'number' ? REACTION_EMOJI.get(type) : undefined
    if (!emoji || typeof r.fromUserMid !== 'string' || r.fromUserMid === '') continue
    // i64 as a decimal string or a number (spec §3).
    const at = typeof r.atMillis === 'string' || typeof r.atMillis === 'number' ? Number(r.atMillis) : 0
    out.push({ senderId: r.fromUserMid, emoji, fromMe: r.fromUserMid === selfMid, ...(Number.isFinite(at) && at > 0 ? { timestamp: at } : {}) })
  }
  return out
}

/**
 * Op 139/140 param2: `{"chatMid":"…","curr":{"predefinedReactionType":n}}`. The emoji, or null
 * when the reaction was taken back (no `curr`, or UNDO/ALL — our reading: spec §6.5 shows
 * only the set case); undefined when param2 is not that shape or the reaction is a paid one.
 */
export function parseReactionParam(param2: string): { chatMid: string | null; emoji: string | null } | undefined {
  let value: unknown
  try {
    value = JSON.parse(param2)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const { chatMid, curr } = value as { chatMid?: unknown; curr?: unknown }
  const chat = typeof chatMid === 'string' && chatMid !== '' ? chatMid : null
  if (curr === undefined || curr === null) return { chatMid: chat, emoji: null }
  if (typeof curr !== 'object') return undefined
  const { predefinedReactionType, paidReactionType } = curr as { predefinedReactionType?: unknown; paidReactionType?: unknown }
  if (typeof predefinedReactionType === 'number') {
    if (predefinedReactionType <= 1) return { chatMid: chat, emoji: null }
    const emoji = REACTION_EMOJI.get(predefinedReactionType)
    return emoji ? { chatMid: chat, emoji } : undefined
  }
  return paidReactionType === undefined ? { chatMid: chat, emoji: null } : undefined
}
