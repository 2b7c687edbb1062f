// The simulated phone's side of QR pairing (spec §5.2–§5.5): parse the QR, sign the
// companion's identity with the phone's identity key (ADV), send pair-success, verify the
// device signature in the answer, register the device, then 515.

import { createHmac, randomBytes } from 'node:crypto'
import { decodeProto, encodeProto, type ADVSignedDeviceIdentity } from '../../../src/main/networks/whatsapp/md/proto'
import { sendHistory } from './history'
import type { Hub } from './hub'
import { b64, sign, unb64, verify } from './keys'
import { bytesOf, child, deviceJid, node, SERVER, unixNow } from './stanzas'

const QR_PREFIX = 'https://wa.me/settings/linked_devices#'

export async function scanQr(hub: Hub, qr: string, phoneNumber: string): Promise<{ jid: string }> {
  if (!qr.startsWith(QR_PREFIX)) throw new Error('not a WhatsApp linking QR')
  const fields = qr.slice(QR_PREFIX.length).split(',')
  if (fields.length !== 5) throw new Error('a linking QR has five fields')
  const [ref, noise, identity, adv] = fields as [string, string, string, string, string]
  const reg = hub.registrations.get(ref)
  if (!reg || !reg.conn.isOpen) throw new Error('the QR ref is not live')
  if (b64(reg.noiseKey) !== noise || b64(reg.identity) !== identity) throw new Error('the QR keys are not the connection’s')
  const world = hub.world
  const account = world.account(phoneNumber)
  const phone = world.phones.get(phoneNumber)!
  const device = account.nextDeviceId++
  const keyIndex = device
  // spec §5.3 steps 2–5.
  const details = encodeProto('ADVDeviceIdentity', { rawId: randomBytes(4).readUInt32BE() >>> 1, timestamp: Math.floor(Date.now() / 1000), keyIndex })
  const accountSignature = sign(phone.identity.priv, Uint8Array.from([6, 0, ...details, ...reg.identity]))
  const signed = encodeProto('ADVSignedDeviceIdentity', { details, accountSignatureKey: phone.identity.pub, accountSignature })
  const hmac = new Uint8Array(createHmac('sha256', unb64(adv)).update(signed).digest())
  const container = encodeProto('ADVSignedDeviceIdentityHMAC', { details: signed, hmac })
  const jid = deviceJid(phoneNumber, device)
  const reply = await hub.request(
    reg.conn,
    node('iq', { from: SERVER, type: 'set', id: hub.nextId(), xmlns: 'md', t: unixNow() }, [
      node('pair-success', {}, [
        node('device-identity', {}, container),
        node('platform', { name: 'android' }),
        node('device', { jid, lid: `${account.lid}:${device}@lid` })
      ])
    ])
  )
  if (reply.attrs.type !== 'result') throw new Error(`the companion refused the pairing (${child(reply, 'error')?.attrs.text ?? 'error'})`)
  const answer = bytesOf(child(child(reply, 'pair-device-sign'), 'device-identity'))
  if (!answer) throw new Error('no device identity in the answer')
  const back = decodeProto<ADVSignedDeviceIdentity>('ADVSignedDeviceIdentity', answer)
  const message = Uint8Array.from([6, 1, ...details, ...reg.identity, ...phone.identity.pub])
  if (!back.deviceSignature || !verify(reg.identity, message, back.deviceSignature)) throw new Error('the device signature does not verify')
  account.companions.push({
    id: device,
    noiseKey: b64(reg.noiseKey),
    identity: b64(reg.identity),
    registrationId: reg.registrationId,
    signedPreKey: { id: reg.signedPreKey.id, pub: b64(reg.signedPreKey.pub), signature: b64(reg.signedPreKey.signature) },
    preKeys: [],
    keyIndex
  })
  world.save()
  // spec §10.1: the phone sends the new device its chats; they wait in its queue for the login.
  await sendHistory(hub, phoneNumber, device, account.history ?? [])
  for (const r of reg.refs) hub.registrations.delete(r)
  // spec §5.5: restart required.
  reg.conn.send(node('stream:error', { code: '515' }))
  reg.conn.close()
  return { jid }
}
