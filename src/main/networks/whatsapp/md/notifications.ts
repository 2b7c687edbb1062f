// Server notifications (spec §7.5), split out of inbound.ts, which hands every
// `<notification>` here: each one is acknowledged, then read by its type — a low pre-key count
// (§6.3) and an identity change (§6.10) under `encrypt`, group changes (`w:gp2`, §11.3),
// device-list changes (§6.8), media re-upload answers (§8.5), profile pictures and the
// app-state collections that changed (`server_sync`, §9.3).

import type { BinaryNode } from './binary'
import { rotateSenderKey } from './group-send'
import { forgetIdentity } from './identity'
import type { InboundDeps } from './inbound'
import { childOf, childrenOf, node } from './stanza'

/** Our account's user JIDs, read only when a notification needs them. */
export interface OwnUsers {
  /** The phone-number user JID. */
  user(): string
  /** The phone number and, once known, the LID (spec §6.9). */
  users(): string[]
}

type NotificationDeps = Pick<
  InboundDeps,
  'session' | 'store' | 'outbound' | 'creds' | 'emit' | 'log' | 'onPreKeyLow' | 'onMediaRetry' | 'onPicture' | 'onServerSync'
>

export function handleNotification(d: NotificationDeps, n: BinaryNode, own: OwnUsers): void {
  const ack: Record<string, string> = { class: 'notification', id: n.attrs.id ?? '', to: n.attrs.from ?? '' }
  if (n.attrs.type) ack.type = n.attrs.type
  d.session.send(node('ack', ack))
  const count = childOf(n, 'count')
  if (n.attrs.type === 'encrypt' && count) d.onPreKeyLow(Number(count.attrs.value ?? 0))
  if (n.attrs.type === 'encrypt' && childOf(n, 'identity') && n.attrs.from)
    void forgetIdentity(d.store, d.outbound.lids, n.attrs.from).catch((error: unknown) => d.log.warn({ error }, 'WhatsApp sessions could not be reset'))
  if (n.attrs.type === 'w:gp2') void groupChange(d, n, own)
  // spec §6.8: a user's device list changed (ours: account_sync `<devices>`); the next send asks usync again.
  if (n.attrs.type === 'devices') d.outbound.forgetDevicesOf(d.outbound.lids.chatOf(n.attrs.from ?? ''))
  if (n.attrs.type === 'account_sync' && childOf(n, 'devices')) d.outbound.forgetDevicesOf(own.user())
  if (n.attrs.type === 'mediaretry') d.onMediaRetry?.(n)
  if (n.attrs.type === 'picture') d.onPicture?.(n)
  if (n.attrs.type === 'server_sync') d.onServerSync?.(childrenOf(n).flatMap((c) => (c.tag === 'collection' && c.attrs.name ? [c.attrs.name] : [])))
}

/** spec §11.3: the chat as it now is; after a removal our sender key is replaced (spec §6.11). */
async function groupChange(d: NotificationDeps, n: BinaryNode, own: OwnUsers): Promise<void> {
  const events = d.outbound.groups.notification(n, own.users())
  const me = d.creds().me
  const removal = childrenOf(n).some((c) => c.tag === 'remove' || c.tag === 'leave')
  await d.store.run(async () => {
    if (removal && me) rotateSenderKey(d.store, n.attrs.from ?? '', me)
    for (const p of childrenOf(n).flatMap((c) => childrenOf(c))) d.outbound.lids.learn(p.attrs.jid, p.attrs.phone_number ?? p.attrs.lid)
    d.store.commit()
  })
  for (const e of events) d.emit(e)
}
