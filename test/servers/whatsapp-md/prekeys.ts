// The reference server's `encrypt` iqs (spec §6.2–§6.4, §12.1), split from hub.ts: a device's
// upload of its identity, signed pre-key and one-time pre-keys, the count of those left, and
// the bundles another device fetches to start a session (one one-time key consumed each; the
// PreKeyLow push is Hub.bundleFor's).

import type { BinaryNode } from '../../../src/main/networks/whatsapp/md/binary'
import type { Hub } from './hub'
import { b64 } from './keys'
import { bytesOf, child, children, node, readUint, splitJid, uintBytes } from './stanzas'

/** Answers an `encrypt` iq through `result`; false when it is not one the server knows (a 501 then). */
export function encryptIq(hub: Hub, user: string, device: number, iq: BinaryNode, result: (content?: BinaryNode[]) => void): boolean {
  const first = children(iq)[0]
  if (iq.attrs.type === 'set') {
    upload(hub, user, device, iq)
    result()
    return true
  }
  if (first?.tag === 'count') {
    result([node('count', { value: String(hub.world.companion(user, device)?.preKeys.length ?? 0) })])
    return true
  }
  if (first?.tag === 'key') {
    result([
      node(
        'list',
        {},
        children(first).map((u) => bundleNode(hub, u.attrs.jid ?? ''))
      )
    ])
    return true
  }
  return false
}

/** spec §6.2: a re-upload of the same ids is harmless; new ids are added. */
function upload(hub: Hub, user: string, device: number, iq: BinaryNode): void {
  const c = hub.world.companion(user, device)
  if (!c) return
  const skey = child(iq, 'skey')
  c.registrationId = readUint(bytesOf(child(iq, 'registration')))
  c.identity = b64(bytesOf(child(iq, 'identity')) ?? new Uint8Array())
  c.signedPreKey = { id: readUint(bytesOf(child(skey, 'id'))), pub: b64(bytesOf(child(skey, 'value'))!), signature: b64(bytesOf(child(skey, 'signature'))!) }
  const known = new Set(c.preKeys.map((k) => k.id))
  for (const k of children(child(iq, 'list'))) {
    const id = readUint(bytesOf(child(k, 'id')))
    if (!known.has(id)) c.preKeys.push({ id, pub: b64(bytesOf(child(k, 'value'))!) })
  }
  hub.world.save()
}

/** spec §6.4: one `<user>` of the bundle list, or its per-user error. */
function bundleNode(hub: Hub, jid: string): BinaryNode {
  const { user, device, server } = splitJid(jid)
  const b = hub.bundleFor(hub.world.numberOf(user, server), device)
  if (!b) return node('user', { jid }, [node('error', { code: '404', text: 'item-not-found' })])
  return node('user', { jid }, [
    node('registration', {}, uintBytes(b.registrationId, 4)),
    node('type', {}, Uint8Array.of(5)),
    node('identity', {}, b.identity),
    ...(b.preKey ? [node('key', {}, [node('id', {}, uintBytes(b.preKey.id, 3)), node('value', {}, b.preKey.pub)])] : []),
    node('skey', {}, [node('id', {}, uintBytes(b.signedPreKey.id, 3)), node('value', {}, b.signedPreKey.pub), node('signature', {}, b.signedPreKey.signature)])
  ])
}
