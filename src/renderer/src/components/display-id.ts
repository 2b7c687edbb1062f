// Raw network ids are never shown where something readable exists (issue 12 §3). One rule set
// for every network, on the shape of the id alone (the renderer keeps no per-network table):
//   "15550100@c.us", "4915550100:3@host"  → "+15550100" (digits before an @ are a phone number)
//   "8:live:alice_1", "live:bob"         → "alice_1"   (the last part of a prefixed address)
//   "uc633b…" (32+ hex digits)           → null        (an opaque id says nothing to a person)

import { strings } from '../strings'

const PHONE_AT = /^\+?(\d{5,15})(?::\d+)?@[\w.-]+$/
const OPAQUE = /^[a-z]?[0-9a-f]{24,}$/i

/** A readable form of a network id, or null when it has none worth showing. */
export function readableId(id: string): string | null {
  const trimmed = id.trim()
  if (trimmed === '') return null
  const phone = PHONE_AT.exec(trimmed)
  if (phone) return `+${phone[1]}`
  const last = trimmed.split(':').at(-1)!
  const at = last.indexOf('@')
  const local = at > 0 ? last.slice(0, at) : last
  if (local === '' || OPAQUE.test(local)) return null
  return local
}

/** A person's name: the name the network gave, else the readable id, else the fallback. */
export function displayName(name: string | null | undefined, id: string, fallback: string): string {
  const n = name?.trim()
  if (n && n !== id) return n
  return readableId(id) ?? fallback
}

/** A chat's title, where Core only had its id for one (a chat seen before its name came): the readable id. */
export function chatTitle(chat: { title: string; remoteId: string }): string {
  if (chat.title.trim() !== '' && chat.title !== chat.remoteId) return chat.title
  return readableId(chat.remoteId) ?? chat.title
}

/** What the contact panel calls a readable id: a phone number (WhatsApp) as one, anything else an ID. */
export function idLabel(readable: string): string {
  return /^\+\d/.test(readable) ? strings.chat.infoPhone : strings.chat.infoId
}
