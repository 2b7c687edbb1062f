// spec §5.2–§5.4: the legacy (pre multi-device) tag bytes and token table. The table is the
// spec's copy-paste literal (176 entries, identical in reveng, go and Baileys); the
// double-byte table is empty in every legacy source, so tags 236–239 never decode.

export const TAG = {
  LIST_EMPTY: 0,
  STREAM_END: 2,
  DICTIONARY_0: 236,
  DICTIONARY_3: 239,
  LIST_8: 248,
  LIST_16: 249,
  JID_PAIR: 250,
  HEX_8: 251,
  BINARY_8: 252,
  BINARY_20: 253,
  BINARY_32: 254,
  NIBBLE_8: 255
} as const

/** spec §5.2: the most characters a packed (NIBBLE_8 / HEX_8) string may hold. */
export const PACKED_MAX = 254

export const SINGLE_BYTE_TOKENS: readonly (string | null)[] = [
  null, null, null, '200', '400', '404', '500', '501', '502', 'action', 'add', 'after', 'archive',
  'author', 'available', 'battery', 'before', 'body', 'broadcast', 'chat', 'clear', 'code',
  'composing', 'contacts', 'count', 'create', 'debug', 'delete', 'demote', 'duplicate', 'encoding',
  'error', 'false', 'filehash', 'from', 'g.us', 'group', 'groups_v2', 'height', 'id', 'image', 'in',
  'index', 'invis', 'item', 'jid', 'kind', 'last', 'leave', 'live', 'log', 'media', 'message',
  'mimetype', 'missing', 'modify', 'name', 'notification', 'notify', 'out', 'owner', 'participant',
  'paused', 'picture', 'played', 'presence', 'preview', 'promote', 'query', 'raw', 'read', 'receipt',
  'received', 'recipient', 'recording', 'relay', 'remove', 'response', 'resume', 'retry',
  's.whatsapp.net', 'seconds', 'set', 'size', 'status', 'subject', 'subscribe', 't', 'text', 'to',
  'true', 'type', 'unarchive', 'unavailable', 'url', 'user', 'value', 'web', 'width', 'mute',
  'read_only', 'admin', 'creator', 'short', 'update', 'powersave', 'checksum', 'epoch', 'block',
  'previous', '409', 'replaced', 'reason', 'spam', 'modify_tag', 'message_info', 'delivery', 'emoji',
  'title', 'description', 'canonical-url', 'matched-text', 'star', 'unstar', 'media_key', 'filename',
  'identity', 'unread', 'page', 'page_count', 'search', 'media_message', 'security', 'call_log',
  'profile', 'ciphertext', 'invite', 'gif', 'vcard', 'frequent', 'privacy', 'blacklist', 'whitelist',
  'verify', 'location', 'document', 'elapsed', 'revoke_invite', 'expiration', 'unsubscribe',
  'disable', 'vname', 'old_jid', 'new_jid', 'announcement', 'locked', 'prop', 'label', 'color',
  'call', 'offer', 'call-id', 'quick_reply', 'sticker', 'pay_t', 'accept', 'reject', 'sticker_pack',
  'invalid', 'canceled', 'missed', 'connected', 'result', 'audio', 'video', 'recent',
]

/** spec §5.3: token 80 (`s.whatsapp.net`) reads as `c.us`, as WA Web, reveng and go do (§12). */
export const USER_SERVER_TOKEN = 80
export const USER_SERVER = 'c.us'

/** What each single-byte tag reads as: the table with token 80 mapped to `c.us`. */
export const DECODED_TOKENS: readonly (string | null)[] = SINGLE_BYTE_TOKENS.map((t, i) => (i === USER_SERVER_TOKEN ? USER_SERVER : t))

/** string → token byte, for the encoder. */
export const TOKEN_INDEX: ReadonlyMap<string, number> = new Map(
  SINGLE_BYTE_TOKENS.flatMap((t, i) => (t === null ? [] : [[t, i] as [string, number]]))
)
