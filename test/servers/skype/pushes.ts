// What the reference server pushes: SDG messages (spec E3/E7), NFY presence (E3b/E3c and
// their MSNP24 forms) and thread notifications, in the recipient's dialect.

import { addressOf, displayName, type Dialect, type SkypeUser, type StoredMessage, type Thread } from './records'
import type { SkypeWorld } from './world'
import { blocks, withPayload, xmlEscape, type Block } from './wire'

export function messageHeaders(m: StoredMessage, world: SkypeWorld): Block {
  const h: Block = [
    ['Messaging', '2.0'],
    ['Message-ID', String(m.id)]
  ]
  if (m.clientMessageId) h.push(['Client-Message-ID', m.clientMessageId])
  if (m.editedId) h.push(['Skype-EditedId', m.editedId])
  h.push(['Original-Arrival-Time', new Date(m.arrival).toISOString()], ['Message-Type', m.messageType])
  h.push(['IM-Display-Name', m.displayName ?? displayName(world.user(m.from))])
  if (m.emoteOffset !== undefined) h.push(['Skype-EmoteOffset', m.emoteOffset])
  if (m.to.kind === 'thread') h.push(['Thread-Topic', world.threads.get(m.to.id)?.topic ?? ''])
  h.push(['Content-Type', m.contentType], ['Content-Length', String(Buffer.byteLength(m.body, 'utf8'))])
  return h
}

export function sdgPush(m: StoredMessage, world: SkypeWorld, dialect: Dialect, ackId: number | null): Buffer {
  const sender = world.user(m.from)
  const from = `${addressOf(sender, dialect)}${m.fromEpid ? `;epid={${m.fromEpid}}` : ''}`
  const to = m.to.kind === 'thread' ? m.to.id : addressOf(world.user(m.to.key), dialect)
  const routing: Block = [
    ['Routing', '1.0'],
    ['To', to],
    ['From', from]
  ]
  const reliability: Block = [['Reliability', '1.0']]
  const content = messageHeaders(m, world)
  if (dialect === 'msnp24')
    return withPayload(['SDG', 0, 'MSGR'], blocks([ackId === null ? [] : [['Ack-Id', String(ackId)]], routing, reliability, content], m.body))
  return withPayload(['SDG', 0], blocks([routing, reliability, content], m.body))
}

function presenceDocument(u: SkypeUser, dialect: Dialect): string {
  const epid = '{0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0}'
  const pe = `<s n="PE"><UserTileLocation></UserTileLocation><FriendlyName>${xmlEscape(displayName(u))}</FriendlyName><PSM>${xmlEscape(u.mood)}</PSM></s>`
  if (dialect === 'msnp21') {
    return `<user><s n="IM"><Status>${u.status}</Status><CurrentMedia></CurrentMedia></s>${pe}<sep n="IM" epid="${epid}"><Capabilities>2955186480:2609258384</Capabilities></sep></user>`
  }
  return (
    `<user><s n="IM"><Status>${u.status}</Status></s>${pe}<s n="SKP"><Mood>${xmlEscape(u.mood)}</Mood><Skypename>${xmlEscape(u.skypeName)}</Skypename></s>` +
    `<sep n="IM" epid="${epid}"><Capabilities>0:0</Capabilities></sep></user>`
  )
}

/** NFY PUT (online, changed) or NFY DEL (gone offline, E3c) about `from`, to `to`. */
export function presencePush(from: SkypeUser, to: SkypeUser, online: boolean, dialect: Dialect): Buffer {
  const body = online ? presenceDocument(from, dialect) : '<user><s n="IM"></s><sep n="IM" epid="{0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0}"></sep></user>'
  const mime = blocks(
    [
      [
        ['Routing', '1.0'],
        ['To', addressOf(to, dialect)],
        ['From', addressOf(from, dialect)]
      ],
      [['Reliability', '1.0']],
      [
        ['Notification', '1.0'],
        ['NotifNum', '0'],
        ['Uri', '/user'],
        ['NotifType', 'Partial'],
        ['Content-Type', 'application/user+xml'],
        ['Content-Length', String(Buffer.byteLength(body))]
      ]
    ],
    body
  )
  const verb = online ? 'PUT' : 'DEL'
  if (dialect === 'msnp21') return withPayload(['NFY', verb], mime)
  return withPayload(['NFY', `MSGR\\${verb}`], Buffer.concat([Buffer.from('\r\n'), mime]))
}

export function threadXml(t: Thread, world: SkypeWorld): string {
  const members = t.members.map((k) => `<member><mri>8:${xmlEscape(world.user(k).skypeName)}</mri><role>User</role></member>`).join('')
  return `<thread><id>${t.id}</id><properties><topic>${xmlEscape(t.topic)}</topic></properties><members>${members}</members></thread>`
}

/** NFY MSGR\THREAD (MSNP24 only): the shape follows the web API's ThreadUpdate (spec §11.3). */
export function threadPush(t: Thread, to: SkypeUser, world: SkypeWorld): Buffer {
  const body = threadXml(t, world)
  const mime = blocks(
    [
      [],
      [
        ['Routing', '1.0'],
        ['To', `8:${to.skypeName}`],
        ['From', t.id]
      ],
      [['Reliability', '1.0']],
      [
        ['Notification', '1.0'],
        ['NotifNum', '0'],
        ['Uri', '/thread'],
        ['NotifType', 'Full'],
        ['Content-Type', 'application/thread+xml'],
        ['Content-Length', String(Buffer.byteLength(body))]
      ]
    ],
    body
  )
  return withPayload(['NFY', 'MSGR\\THREAD'], mime)
}

/** `GET MSGR\RECENTCONVERSATIONS` reply body, in the web API's msnp24Equivalent field names. */
export function recentConversationsXml(world: SkypeWorld, key: string, sinceMs: number, pageSize: number): string {
  const conversations = world.conversations(key, sinceMs).slice(-pageSize)
  const conv = conversations.map((c) => {
    const messages = c.messages.slice(-50).map((m) => {
      const fields: [string, string | undefined][] = [
        ['id', String(m.id)],
        ['clientmessageid', m.clientMessageId],
        ['from', `8:${world.user(m.from).skypeName}`],
        ['imdisplayname', m.displayName ?? displayName(world.user(m.from))],
        ['messagetype', m.messageType],
        ['contenttype', m.contentType],
        ['content', m.body],
        ['originalarrivaltime', new Date(m.arrival).toISOString()],
        ['skypeemoteoffset', m.emoteOffset],
        ['skypeeditedid', m.editedId]
      ]
      return `<message>${fields
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `<${k}>${xmlEscape(v!)}</${k}>`)
        .join('')}</message>`
    })
    return `<conversation><id>${c.id}</id>${c.topic !== undefined ? `<threadtopic>${xmlEscape(c.topic)}</threadtopic>` : ''}<messages>${messages.join('')}</messages></conversation>`
  })
  return `<recentconversations-response><conversations>${conv.join('')}</conversations></recentconversations-response>`
}

/** spec §12.3 / E12: the NFY DEL an endpoint gets when another endpoint of the same user signs it out. */
export function signOutPush(u: SkypeUser, epid: string, dialect: Dialect): Buffer {
  const body = `<user><sep n="IM" epid="{${epid}}"/></user>`
  const self = addressOf(u, dialect)
  const mime = blocks(
    [
      [
        ['Routing', '1.0'],
        ['To', self],
        ['From', self]
      ],
      [['Reliability', '1.0']],
      [
        ['Notification', '1.0'],
        ['NotifNum', '0'],
        ['Uri', '/user'],
        ['NotifType', 'Partial'],
        ['Content-Type', 'application/user+xml'],
        ['Content-Length', String(Buffer.byteLength(body))]
      ]
    ],
    body
  )
  return dialect === 'msnp21' ? withPayload(['NFY', 'DEL'], mime) : withPayload(['NFY', 'MSGR\\DEL'], Buffer.concat([Buffer.from('\r\n'), mime]))
}
