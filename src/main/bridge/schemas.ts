// Runtime schemas for every request argument: shapes and sizes. Main validates with
// these before Core sees anything, whichever transport the request came through.

import { z } from 'zod'
import type { RequestArg, RequestName } from '../../shared/api'
import { NETWORK_IDS } from '../../shared/model'

export const LIMITS = {
  id: 128,
  text: 64 * 1024,
  /** A draft keeps whatever was typed, even text longer than any network takes (it is split when sent). */
  draft: 1024 * 1024,
  query: 512,
  url: 8 * 1024,
  path: 4 * 1024,
  field: 1024,
  fields: 8,
  pageSize: 500,
  /** One emoji: a flag or a family sequence with skin tones runs to ~35 UTF-16 units. */
  emoji: 64,
  /** Base64 of a 20 MB picture. */
  imageBase64: Math.ceil((20 * 1024 * 1024 * 4) / 3),
  /** Base64 of a 20 MB file: the same cap as a picture, so sendMessage's frame cap covers both. */
  fileBase64: Math.ceil((20 * 1024 * 1024 * 4) / 3),
  /** A file's display name (most file systems stop at 255). */
  fileName: 255,
  /** Base64 of a photo's preview of at most 16 KiB (a third longer). */
  thumbnailBase64: 22_000,
  /** An account's nickname. */
  nickname: 64,
  /** The whole serialized argument. */
  requestBytes: 32 * 1024 * 1024
} as const

const id = z.string().min(1).max(LIMITS.id)
const voidArg = z.union([z.undefined(), z.null()]).transform(() => undefined)
const network = z.enum(NETWORK_IDS)
const limit = z.number().int().min(1).max(LIMITS.pageSize)
const clientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/)
/** An address a person types to add a contact (an e-mail address, a name, a number): one word, no control characters. */
const contactAddress = z
  .string()
  .trim()
  .min(1)
  .max(254)
  .regex(/^[^\s\p{Cc}]+$/u)

/** A display name only: no control characters and no path separators (Core never writes it as a path as is). */
const fileName = z
  .string()
  .min(1)
  .max(LIMITS.fileName)
  .regex(/^[^\p{Cc}/\\]+$/u)

const draft = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('text'), text: z.string().min(1).max(LIMITS.text) }),
  z.strictObject({ kind: z.literal('emote'), text: z.string().min(1).max(LIMITS.text) }),
  z.strictObject({
    kind: z.literal('image'),
    mime: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
    dataBase64: z
      .string()
      .min(1)
      .max(LIMITS.imageBase64)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/),
    caption: z.string().max(LIMITS.text).optional(),
    name: fileName.optional(),
    // A preview of at most 16 KiB (its base64 a third longer); the network checks it is a JPEG.
    thumbnailBase64: z
      .string()
      .min(1)
      .max(LIMITS.thumbnailBase64)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/)
      .optional(),
    width: z.number().int().min(1).max(100_000).optional(),
    height: z.number().int().min(1).max(100_000).optional()
  }),
  z.strictObject({
    kind: z.literal('file'),
    name: fileName,
    mime: z
      .string()
      .max(127)
      .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i),
    size: z
      .number()
      .int()
      .min(1)
      .max(Math.floor((LIMITS.fileBase64 * 3) / 4)),
    dataBase64: z
      .string()
      .min(1)
      .max(LIMITS.fileBase64)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/)
  })
])

const filter = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('unread') }),
  z.strictObject({ kind: z.literal('archived') }),
  z.strictObject({ kind: z.literal('account'), accountId: id }),
  z.strictObject({ kind: z.literal('title'), query: z.string().min(1).max(LIMITS.query) })
])

const fields = z.record(z.string().max(64), z.string().max(LIMITS.field)).refine((f) => Object.keys(f).length <= LIMITS.fields, { message: 'too many fields' })

type Schemas = { [K in RequestName]: z.ZodType<RequestArg<K>, unknown> }

export const REQUEST_SCHEMAS = {
  getAppInfo: voidArg,
  listNetworks: voidArg,
  listAccounts: voidArg,
  startLogin: z.strictObject({ network, methodId: id, fields: fields.optional(), accountId: id.optional() }),
  completeBrowserLogin: z.strictObject({ loginId: id, redirectUrl: z.string().min(1).max(LIMITS.url) }),
  submitLoginInput: z.strictObject({ loginId: id, values: fields }),
  cancelLogin: z.strictObject({ loginId: id }),
  removeAccount: z.strictObject({ accountId: id }),
  reconnectAccount: z.strictObject({ accountId: id }),
  listInbox: z.strictObject({ filter, limit, after: z.string().max(64).nullable().optional() }),
  getChat: z.strictObject({ chatId: id }),
  openDirectChat: z.strictObject({ accountId: id, remoteId: z.string().min(1).max(LIMITS.id) }),
  getChatMembers: z.strictObject({ chatId: id }),
  listContacts: z.strictObject({ accountId: id }),
  addContact: z.strictObject({ accountId: id, address: contactAddress }),
  removeContact: z.strictObject({ accountId: id, remoteId: id }),
  setContactBlocked: z.strictObject({ accountId: id, remoteId: id, blocked: z.boolean() }),
  answerContactRequest: z.strictObject({ accountId: id, remoteId: id, accept: z.boolean() }),
  listMessages: z
    .strictObject({ chatId: id, before: id.nullable().optional(), after: id.nullable().optional(), around: id.nullable().optional(), limit })
    .refine((a) => [a.before, a.after, a.around].filter((x) => x != null).length <= 1, { message: 'use only one of before, after and around' }),
  sendMessage: z.strictObject({ chatId: id, clientId, draft, replyToId: id.optional() }),
  retryMessage: z.strictObject({ messageId: id }),
  // Message actions (issue 12): Core checks the emoji against the network's set and the text against its limit.
  openAttachment: z.strictObject({ messageId: id }),
  reactToMessage: z.strictObject({ messageId: id, emoji: z.string().min(1).max(LIMITS.emoji).refine(isOneEmoji, { message: 'one emoji' }).nullable() }),
  editMessage: z.strictObject({ messageId: id, text: z.string().min(1).max(LIMITS.text) }),
  deleteMessage: z.strictObject({ messageId: id, forEveryone: z.boolean() }),
  forwardMessage: z.strictObject({ messageId: id, chatId: id, clientId }),
  markChatRead: z.strictObject({ chatId: id }),
  setTyping: z.strictObject({ chatId: id, typing: z.boolean() }),
  sendNudge: z.strictObject({ chatId: id }),
  updateChat: z.strictObject({
    chatId: id,
    pinned: z.boolean().optional(),
    muted: z.boolean().optional(),
    archived: z.boolean().optional(),
    markUnread: z.boolean().optional(),
    draft: z.string().max(LIMITS.draft).optional()
  }),
  search: z.strictObject({ query: z.string().max(LIMITS.query), limit, accountId: id.optional(), chatId: id.optional() }),
  openExternal: z.strictObject({
    url: z
      .string()
      .max(LIMITS.url)
      .refine((u) => isWebUrl(u), { message: 'only http and https links open' })
  }),
  updateAccount: z.strictObject({ accountId: id, muted: z.boolean() }),
  // A local name: trimmed, one line, no control characters; empty or null clears it (issue 12 §3).
  renameAccount: z.strictObject({
    accountId: id,
    nickname: z
      .string()
      .max(LIMITS.nickname)
      .regex(/^[^\p{Cc}\u2028\u2029]*$/u)
      .transform((n) => n.trim() || null)
      .nullable()
  }),
  getSettings: voidArg,
  updateSettings: z.strictObject({
    theme: z.enum(['system', 'light', 'dark']).optional(),
    notifications: z.strictObject({ enabled: z.boolean().optional(), showPreview: z.boolean().optional() }).optional(),
    network: z.strictObject({ id: network, name: z.string().min(1).max(64), value: z.union([z.string().max(LIMITS.field), z.boolean(), z.null()]) }).optional()
  }),
  exportHistory: z.strictObject({ format: z.enum(['json', 'html']) }),
  revealPath: z.discriminatedUnion('what', [
    z.strictObject({ what: z.literal('data-folder') }),
    z.strictObject({ what: z.literal('logs-folder') }),
    z.strictObject({ what: z.literal('export'), fileName: z.string().regex(/^junction-export-[\w.-]+\.(json|html)$/) })
  ]),
  // The page never sends a path: main asks for the folder in a native dialog (issue 11 §12).
  moveDataFolder: voidArg,
  pickNetworkFolder: z.strictObject({ network, name: z.string().min(1).max(64) }),
  getDesktopPreferences: voidArg,
  updateDesktopPreferences: z.strictObject({ closeToTray: z.boolean().optional(), updateUrl: z.string().max(2048).nullable().optional() }),
  checkForUpdates: voidArg
} satisfies Schemas

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/** Exactly one grapheme cluster that is (or starts with) a pictographic or emoji-presentation character. */
export function isOneEmoji(value: string): boolean {
  let count = 0
  for (const _ of graphemes.segment(value)) if (++count > 1) return false
  return count === 1 && /^(\p{Extended_Pictographic}|\p{Emoji_Presentation}|\p{Regional_Indicator}|[0-9#*]\uFE0F?\u20E3)/u.test(value)
}

/** POSIX `/…` or Windows `C:\…`; never relative, never with a NUL. */
export function isAbsolutePath(value: string): boolean {
  return !value.includes('\0') && (/^\//.test(value) || /^[A-Za-z]:[\\/]/.test(value))
}

/** Only http(s) URLs may leave the app for the person's browser. */
export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}
