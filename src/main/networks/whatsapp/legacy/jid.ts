// spec §8: JIDs. Junction keeps the JSON-layer form (`…@c.us`, `…@g.us`) everywhere, which
// is also what the node decoder yields for token 80; protobuf keys need `@s.whatsapp.net`.

export const USER_SUFFIX = '@c.us'
const PROTO_USER_SUFFIX = '@s.whatsapp.net'

/** Any user JID in the one form Junction stores: `…@s.whatsapp.net` → `…@c.us`. */
export function normalizeJid(jid: string): string {
  return jid.endsWith(PROTO_USER_SUFFIX) ? jid.slice(0, -PROTO_USER_SUFFIX.length) + USER_SUFFIX : jid
}

/** spec §6.2: `WebMessageInfo.key.remoteJid` must use `@s.whatsapp.net`, never `@c.us`. */
export function protoJid(jid: string): string {
  return jid.endsWith(USER_SUFFIX) ? jid.slice(0, -USER_SUFFIX.length) + PROTO_USER_SUFFIX : jid
}

export function isGroupJid(jid: string): boolean {
  return jid.endsWith('@g.us')
}

/** The phone number of a user JID as a person reads it: `491234567890@c.us` → `+491234567890`. */
export function displayNumber(jid: string): string {
  const user = jid.split('@')[0] ?? jid
  return /^\d+$/.test(user) ? `+${user}` : user
}
