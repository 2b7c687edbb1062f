// Inbound SDGs in the shared model's words: which chat a message belongs to, its stable
// remote id (so a redelivery, an echo or an edit lands on the same row), emotes, edits,
// typing and group-thread events.

import { randomId } from '../../base/ids'
import type { IncomingMessage } from '../connector'
import type { InboundMessaging } from './msnp/read'
import { readThreadActivity, type ThreadActivity } from './msnp/read'
import { emoteText, isGroupAddress, richTextToPlain } from './msnp/messaging'
import { readQuote } from './msnp/quote'
import { mimeOfName, readUriObject, uriObjectKindOf, type UriObjectKind } from './media-uriobject'

export interface TranslateContext {
  /** Our own addresses (`8:live:alice_1`, and the `1:` Microsoft-account name). */
  selfAddresses: ReadonlySet<string>
  /** The address a contact is known by (a `1:` name merged with its `8:` Skype name). */
  canonical(address: string): string
  /** Junction's client id for a Client-Message-ID we sent, when we still know it. */
  clientIdFor(clientMessageId: string): string | undefined
  nameOf(address: string): string | undefined
  now(): number
  /** The configured AMS base (config.ts `amsUrl`): only objects under it are downloadable (media-uriobject.ts). */
  amsUrl?: string
}

/** The AMS object an incoming photo or file names, for `fetchMedia` (media.ts keeps it). */
export interface MediaObjectRef {
  objectId: string
  kind: UriObjectKind
  mime: string
}

export type Translated =
  | { kind: 'message'; message: IncomingMessage; groupTopic?: string; activity?: ThreadActivity; objectRef?: MediaObjectRef }
  | { kind: 'typing'; chatRemoteId: string; senderId: string; senderName?: string; typing: boolean }
  | { kind: 'topic'; chatRemoteId: string; title: string }
  | { kind: 'ignored'; messageType: string }

/**
 * A message's remote id: the sender's Client-Message-ID, scoped to the sender (spec §6.4:
 * it is what edits refer to, and it is the same on every copy of the message). Messages
 * without one fall back to the server's Message-ID, then to a fresh id.
 */
export function messageKey(sender: string, clientMessageId: string | undefined, messageId?: string): string {
  if (clientMessageId) return `${sender}/${clientMessageId}`
  if (messageId) return `${sender}/mid:${messageId}`
  return `${sender}/${randomId('local')}`
}

export function chatOf(m: Pick<InboundMessaging, 'from' | 'to'>, ctx: TranslateContext): string {
  if (isGroupAddress(m.to)) return m.to
  return ctx.selfAddresses.has(m.from) ? ctx.canonical(m.to) : ctx.canonical(m.from)
}

const TEXT_TYPES = new Set(['text', 'richtext'])

/**
 * spec §6.5 / §11.3: pictures and files arrive as `RichText/UriObject` and `RichText/Media_*`
 * with an `<URIObject>` body. Photos and files become image and file messages
 * (media-uriobject.ts); what Junction cannot read (video, voice, a body it does not understand)
 * reads as a placeholder, never as the markup; files say their name where the body names it
 * (`<OriginalName v="…"/>`, as SkPy reads it; the spec leaves the body unspecified).
 */
const MEDIA_TYPES: Record<string, string> = {
  'richtext/uriobject': 'Photo',
  'richtext/media_genericfile': 'File',
  'richtext/media_video': 'Video',
  'richtext/media_audiomsg': 'Voice message'
}

function originalName(body: string): string | undefined {
  const found = /<OriginalName\b[^>]{0,500}?\bv="([^"<>]{1,255})"/i.exec(body) ?? /\boriginalName="([^"<>]{1,255})"/i.exec(body)
  const name = found ? richTextToPlain(found[1]!).trim() : ''
  return name === '' ? undefined : name
}

export function mediaPlaceholder(messageType: string, body: string): string | undefined {
  const label = MEDIA_TYPES[messageType.toLowerCase()]
  if (!label) return undefined
  const name = label === 'File' ? originalName(body) : undefined
  return name ? `${label}: ${name}` : label
}

export function translate(m: InboundMessaging, ctx: TranslateContext): Translated {
  const type = m.messageType.toLowerCase()
  const chatRemoteId = chatOf(m, ctx)
  const fromMe = ctx.selfAddresses.has(m.from)
  const senderId = fromMe ? m.from : ctx.canonical(m.from)
  const senderName = m.displayName ?? ctx.nameOf(senderId)
  if (type === 'control/typing' || type === 'control/cleartyping') {
    if (fromMe) return { kind: 'ignored', messageType: m.messageType }
    const out: Translated = { kind: 'typing', chatRemoteId, senderId, typing: type === 'control/typing' }
    if (senderName) out.senderName = senderName
    return out
  }
  if (type.startsWith('threadactivity/')) return threadActivity(m, chatRemoteId, senderId, ctx)
  if (type === 'nudge' && !fromMe) {
    // msnp18.md §5.6 / §9 E7: a nudge carries no text and no id of its own; it is one line in the conversation.
    const message: IncomingMessage = {
      chatRemoteId,
      remoteId: messageKey(senderId, undefined),
      senderId,
      fromMe,
      timestamp: m.arrival ?? ctx.now(),
      kind: 'system',
      text: `${senderName ?? senderId.replace(/^\d+:/, '')} sent a nudge.`
    }
    if (senderName) message.senderName = senderName
    return { kind: 'message', message }
  }
  const media = m.editedId === undefined ? mediaMessage(m, ctx, { chatRemoteId, senderId, fromMe, senderName }) : undefined
  if (media) return media
  const placeholder = mediaPlaceholder(type, m.body)
  if (placeholder !== undefined && m.editedId === undefined) {
    const message: IncomingMessage = {
      chatRemoteId,
      remoteId: messageKey(senderId, m.clientMessageId, m.messageId),
      senderId,
      fromMe,
      timestamp: m.arrival ?? ctx.now(),
      kind: 'text',
      text: placeholder
    }
    if (senderName) message.senderName = senderName
    if (fromMe) message.status = 'sent'
    const out: Translated = { kind: 'message', message }
    if (m.threadTopic) out.groupTopic = m.threadTopic
    return out
  }
  if (!TEXT_TYPES.has(type)) return { kind: 'ignored', messageType: m.messageType }

  const rich = type === 'richtext'
  // actions-contract.md §4: a leading <quote> (msnp/quote.ts) is the message this one answers.
  const quoted = rich ? readQuote(m.body) : null
  const body = rich ? richTextToPlain(quoted ? quoted.rest : m.body) : m.body
  const edit = m.editedId !== undefined
  const message: IncomingMessage = {
    chatRemoteId,
    remoteId: messageKey(senderId, edit ? m.editedId : m.clientMessageId, edit ? undefined : m.messageId),
    senderId,
    fromMe,
    timestamp: m.arrival ?? ctx.now(),
    kind: m.emoteOffset !== undefined ? 'emote' : 'text',
    text: m.emoteOffset !== undefined ? emoteText(body, m.emoteOffset, m.displayName ?? senderName) : body
  }
  if (senderName) message.senderName = senderName
  if (quoted) {
    const author = ctx.canonical(quoted.quote.author)
    // Our own messages are keyed by Client-Message-ID (messageKey); without one the quote still shows its text.
    const remoteId = quoted.quote.messageId ? `${author}/${quoted.quote.messageId}` : `${author}/quote:${quoted.quote.timestamp ?? 0}`
    message.replyTo = { remoteId, senderId: author, ...(quoted.quote.text ? { text: quoted.quote.text } : {}) }
  }
  if (fromMe) {
    message.status = 'sent'
    const clientId = m.clientMessageId ? ctx.clientIdFor(m.clientMessageId) : undefined
    if (clientId && !edit) message.clientId = clientId
  }
  if (edit) {
    // spec §6.4: Skype-EditedId names the message replaced; an empty body deletes it.
    message.edited = true
    if (body.length === 0) message.deleted = true
  }
  const out: Translated = { kind: 'message', message }
  if (m.threadTopic) out.groupTopic = m.threadTopic
  return out
}

/**
 * A photo or file whose URIObject reads (media-uriobject.ts). A photo whose object is not under
 * the AMS base is shown as a file entry that cannot be downloaded: a picture would be loaded
 * at once, and there is nothing Junction may load.
 */
function mediaMessage(
  m: InboundMessaging,
  ctx: TranslateContext,
  who: { chatRemoteId: string; senderId: string; fromMe: boolean; senderName: string | undefined }
): Translated | undefined {
  const kind = uriObjectKindOf(m.messageType)
  // An account without an AMS store (MSNP21, MSNP18) keeps the placeholder: nothing it could download.
  if (!kind || ctx.amsUrl === undefined) return undefined
  let info
  try {
    info = readUriObject(kind, m.body, ctx.amsUrl)
  } catch {
    return undefined
  }
  const shownAs = info.objectId ? kind : 'file'
  const name = info.name ?? (kind === 'image' ? 'Photo' : 'File')
  const mime = mimeOfName(info.name, kind)
  const message: IncomingMessage = {
    chatRemoteId: who.chatRemoteId,
    remoteId: messageKey(who.senderId, m.clientMessageId, m.messageId),
    senderId: who.senderId,
    fromMe: who.fromMe,
    timestamp: m.arrival ?? ctx.now(),
    kind: shownAs,
    text: '',
    media: {
      mime,
      ...(info.size !== undefined ? { size: info.size } : {}),
      ...(shownAs === 'file' ? { name } : {}),
      ...(shownAs === 'image' && info.width && info.height ? { width: info.width, height: info.height } : {})
    }
  }
  if (who.senderName) message.senderName = who.senderName
  if (who.fromMe) {
    message.status = 'sent'
    const clientId = m.clientMessageId ? ctx.clientIdFor(m.clientMessageId) : undefined
    if (clientId) message.clientId = clientId
  }
  const out: Translated = { kind: 'message', message }
  if (info.objectId) out.objectRef = { objectId: info.objectId, kind, mime }
  if (m.threadTopic) out.groupTopic = m.threadTopic
  return out
}

function threadActivity(m: InboundMessaging, chatRemoteId: string, senderId: string, ctx: TranslateContext): Translated {
  const activity = readThreadActivity(m.body)
  if (!activity) return { kind: 'ignored', messageType: m.messageType }
  const who = (address: string | undefined): string => {
    if (!address) return 'Someone'
    // The own account is "you", never its raw Skype name ("Bob Smith added you").
    if (ctx.selfAddresses.has(address)) return 'you'
    const known = ctx.nameOf(ctx.canonical(address))
    if (known) return known
    // The sender's own display name travels with the event; other members are shown by their Skype name.
    if (address === m.from && m.displayName) return m.displayName
    return readableAddress(address)
  }
  const initiator = capitalized(who(activity.initiator ?? senderId))
  const targets = activity.targets.map(who).join(', ')
  let text: string
  switch (activity.kind) {
    case 'topicupdate':
      if (activity.value === undefined) return { kind: 'ignored', messageType: m.messageType }
      if (!m.clientMessageId && !m.messageId) return { kind: 'topic', chatRemoteId, title: activity.value }
      text = `${initiator} renamed the conversation to \u201c${activity.value}\u201d`
      break
    case 'addmember':
      text = activity.targets.length === 1 && activity.targets[0] === activity.initiator ? `${initiator} joined` : `${initiator} added ${targets}`
      break
    case 'deletemember':
      text = activity.targets.length === 1 && activity.targets[0] === activity.initiator ? `${initiator} left` : `${initiator} removed ${targets}`
      break
    case 'roleupdate':
      text = `${initiator} changed the role of ${targets}`
      break
  }
  const message: IncomingMessage = {
    chatRemoteId,
    remoteId: messageKey(senderId, m.clientMessageId, m.messageId ?? `${activity.kind}:${activity.eventTime ?? ctx.now()}`),
    senderId,
    fromMe: ctx.selfAddresses.has(m.from),
    timestamp: activity.eventTime ?? m.arrival ?? ctx.now(),
    kind: 'system',
    text
  }
  const out: Translated = { kind: 'message', message, activity }
  if (activity.kind === 'topicupdate' && activity.value !== undefined) out.groupTopic = activity.value
  return out
}

/**
 * A member nobody named, as a person reads it (issue 12 §3): the Skype name without its
 * network prefix and without the `live:` namespace of Microsoft-account names
 * ("8:live:alice_1" → "alice_1", "8:bob.smith" → "bob.smith", "1:carol@example.com" → "carol").
 */
export function readableAddress(address: string): string {
  const name = address.replace(/^\d+:/, '').replace(/^live:(\.cid\.)?/, '')
  const at = name.indexOf('@')
  return (at > 0 ? name.slice(0, at) : name) || address
}

function capitalized(text: string): string {
  return text === 'you' ? 'You' : text
}
