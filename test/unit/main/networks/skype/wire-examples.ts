// The byte-exact wire examples of spec §9, transcribed line by line (each line ends in
// CRLF; the body has none after it). `payload` and `total` are the counts the spec states,
// which also check the transcription.

const ALICE_EP = '{f8b0a7c2-1d2e-4f3a-9b4c-5d6e7f8a9b0c}'
const BOB_EP = '{0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0}'
const COOKIE = 'U2lnbmF0dXJlOjI7VmVyc2lvbjo0Ow=='

export interface WireExample {
  name: string
  bytes: string
  payload: number
  total: number
}

const wire = (...lines: string[]): string => lines.join('\r\n')

export const EXAMPLES: Record<string, WireExample> = {
  E1: {
    name: 'MSNP21 text message',
    payload: 318,
    total: 330,
    bytes: wire(
      'SDG 12 318', 'Routing: 1.0', 'To: 1:bob@hotmail.com', `From: 1:alice@hotmail.co.uk;epid=${ALICE_EP}`, 'Service-Channel: IM/Online', '',
      'Reliability: 1.0', '',
      'Messaging: 2.0', 'Message-Type: Text', 'Content-Type: Text/plain; charset=UTF-8', 'Content-Length: 5', 'X-MMS-IM-Format: FN=Segoe%20UI; EF=; CO=0; CS=1; PF=0', '',
      'Hello'
    )
  },
  E2: {
    name: 'MSNP21 typing',
    payload: 240,
    total: 252,
    bytes: wire(
      'SDG 13 240', 'Routing: 1.0', 'To: 1:bob@hotmail.com', `From: 1:alice@hotmail.co.uk;epid=${ALICE_EP}`, '',
      'Reliability: 1.0', '',
      'Messaging: 2.0', 'Message-Type: Control/Typing', 'Content-Type: Text/plain; charset=UTF-8', 'Content-Length: 0', '',
      ''
    )
  },
  E2b: {
    name: 'MSNP21 nudge',
    payload: 233,
    total: 245,
    bytes: wire(
      'SDG 14 233', 'Routing: 1.0', 'To: 1:bob@hotmail.com', `From: 1:alice@hotmail.co.uk;epid=${ALICE_EP}`, '',
      'Reliability: 1.0', '',
      'Messaging: 2.0', 'Message-Type: Nudge', 'Content-Type: Text/plain; charset=UTF-8', 'Content-Length: 2', '',
      '', ''
    )
  },
  E3: {
    name: 'MSNP21 incoming text',
    payload: 287,
    total: 298,
    bytes: wire(
      'SDG 0 287', 'Routing: 1.0', `To: 1:alice@hotmail.co.uk;epid=${ALICE_EP}`, `From: 1:bob@hotmail.com;epid=${BOB_EP}`, '',
      'Reliability: 1.0', '',
      'Messaging: 2.0', 'Message-Type: Text', 'Content-Type: text/plain; charset=UTF-8', 'Content-Length: 12', '',
      'Hi Alice \u263a'
    )
  },
  E3b: {
    name: 'MSNP21 presence update',
    payload: 502,
    total: 515,
    bytes: wire(
      'NFY PUT 502', 'Routing: 1.0', 'To: 1:alice@hotmail.co.uk', 'From: 1:bob@hotmail.com', '',
      'Reliability: 1.0', '',
      'Notification: 1.0', 'NotifNum: 0', 'Uri: /user', 'NotifType: Partial', 'Content-Type: application/user+xml', 'Content-Length: 291', '',
      `<user><s n="IM"><Status>BSY</Status><CurrentMedia></CurrentMedia></s><s n="PE"><UserTileLocation></UserTileLocation><FriendlyName>Bob</FriendlyName><PSM>at work</PSM></s><sep n="IM" epid="${BOB_EP}"><Capabilities>2955186480:2609258384</Capabilities></sep></user>`
    )
  },
  E3c: {
    name: 'MSNP21 contact offline',
    payload: 301,
    total: 314,
    bytes: wire(
      'NFY DEL 301', 'Routing: 1.0', 'To: 1:alice@hotmail.co.uk', 'From: 1:bob@hotmail.com', '',
      'Reliability: 1.0', '',
      'Notification: 1.0', 'NotifNum: 0', 'Uri: /user', 'NotifType: Partial', 'Content-Type: application/user+xml', 'Content-Length: 91', '',
      `<user><s n="IM"></s><sep n="IM" epid="${BOB_EP}"></sep></user>`
    )
  },
  E8: { name: 'ADL (MSNP18 style)', payload: 62, total: 72, bytes: wire('ADL 9 62', '<ml l="1"><d n="hotmail.com"><c n="bob" l="3" t="1"/></d></ml>') },
  E8b: {
    name: 'ADL of own account',
    payload: 128,
    total: 139,
    bytes: wire('ADL 8 128', '<ml><d n="hotmail.co.uk"><c n="alice" t="1"><s l="3" n="IM" /><s l="3" n="PE" /><s l="3" n="PD" /><s l="3" n="PF"/></c></d></ml>')
  },
  E9: {
    name: 'MSNP21 presence publication',
    payload: 591,
    total: 603,
    bytes: wire(
      'PUT 10 591', 'Routing: 1.0', 'To: 1:alice@hotmail.co.uk', `From: 1:alice@hotmail.co.uk;epid=${ALICE_EP}`, '',
      'Reliability: 1.0', 'Stream: 1', 'Flags: ACK', '',
      'Publication: 1.0', 'Uri: /user', 'Content-Type: application/user+xml', 'Content-Length: 343', '',
      '<user><s n="IM"><Status>NLN</Status><CurrentMedia></CurrentMedia></s><s n="PE"><UserTileLocation></UserTileLocation><FriendlyName>Alice</FriendlyName><PSM></PSM></s><sep n="IM"><Capabilities>2955186480:2609258384</Capabilities></sep><sep n="PD"><ClientType>1</ClientType><EpName>LAPTOP</EpName><Idle>false</Idle><State>NLN</State></sep></user>'
    )
  },
  E11: {
    name: 'MSNP21 circle message',
    payload: 274,
    total: 286,
    bytes: wire(
      'SDG 15 274', 'Routing: 1.0', 'To: 9:00000000-0000-0000-0009-0123456789ab@live.com;path=IM', `From: 1:alice@hotmail.co.uk;epid=${ALICE_EP}`, '',
      'Reliability: 1.0', '',
      'Messaging: 2.0', 'Message-Type: Text', 'Content-Type: Text/plain; charset=UTF-8', 'Content-Length: 6', '',
      'hi all'
    )
  },
  E12: {
    name: 'MSNP21 remote sign-out',
    payload: 296,
    total: 308,
    bytes: wire(
      'DEL 16 296', 'Routing: 1.0', 'To: 1:alice@hotmail.co.uk', `From: 1:alice@hotmail.co.uk;epid=${ALICE_EP}`, '',
      'Reliability: 1.0', '',
      'Publication: 1.0', 'Uri: /user', 'Content-Type: application/user+xml', 'Content-Length: 72', '',
      `<user><sep n="IM" epid="${BOB_EP}"/></user>`
    )
  },
  E13: {
    name: 'MSNP21 create temporary group',
    payload: 258,
    total: 270,
    bytes: wire(
      'PUT 17 258', 'Routing: 1.0', `From: 1:alice@hotmail.co.uk;epid=${ALICE_EP}`, 'To: 10:00000000-0000-0000-0000-000000000000@live.com', '',
      'Reliability: 1.0', '',
      'Publication: 1.0', 'Content-Length: 0', 'Content-Type: application/multiparty+xml', 'Uri: /circle', '',
      ''
    )
  },
  E4: {
    name: 'MSNP24 text message',
    payload: 330,
    total: 347,
    bytes: wire(
      'SDG 21 MSGR 330', `Registration: ${COOKIE}`, '',
      'Routing: 1.0', 'To: 8:bob.smith', `From: 8:live:alice_1;epid=${ALICE_EP}`, '',
      'Reliability: 1.0', '',
      'Messaging: 2.0', 'Client-Message-ID: 1415097600000', 'Message-Type: Text', 'IM-Display-Name: Alice', 'Content-Type: Text/plain; charset=UTF-8', 'Content-Length: 5', '',
      'Hello'
    )
  },
  E5: {
    name: 'MSNP24 /me waves',
    payload: 359,
    total: 376,
    bytes: wire(
      'SDG 22 MSGR 359', `Registration: ${COOKIE}`, '',
      'Routing: 1.0', 'To: 8:bob.smith', `From: 8:live:alice_1;epid=${ALICE_EP}`, '',
      'Reliability: 1.0', '',
      'Messaging: 2.0', 'Client-Message-ID: 1415097600001', 'Message-Type: Text', 'IM-Display-Name: Alice', 'Skype-EmoteOffset: 6', 'Content-Type: Text/plain; charset=UTF-8', 'Content-Length: 11', '',
      'Alice waves'
    )
  },
  E6: {
    name: 'MSNP24 typing',
    payload: 271,
    total: 288,
    bytes: wire(
      'SDG 23 MSGR 271', `Registration: ${COOKIE}`, '',
      'Routing: 1.0', 'To: 8:bob.smith', `From: 8:live:alice_1;epid=${ALICE_EP}`, '',
      'Reliability: 1.0', '',
      'Messaging: 2.0', 'Message-Type: Control/Typing', 'Content-Type: Application/Message', 'Content-Length: 0', '',
      ''
    )
  },
  E7: {
    name: 'MSNP24 incoming message',
    payload: 371,
    total: 387,
    bytes: wire(
      'SDG 0 MSGR 371', 'Ack-Id: 5001', '',
      'Routing: 1.0', 'To: 8:live:alice_1', `From: 8:bob.smith;epid=${BOB_EP}`, '',
      'Reliability: 1.0', '',
      'Messaging: 2.0', 'Message-ID: 1415097605123', 'Client-Message-ID: 8843302217', 'Original-Arrival-Time: 2014-11-04T10:40:05.123Z', 'Message-Type: Text', 'IM-Display-Name: Bob Smith', 'Content-Type: Text/plain; charset=UTF-8', 'Content-Length: 3', '',
      'Hi!'
    )
  },
  E7b: { name: 'MSNP24 ACK', payload: 64, total: 80, bytes: wire('ACK 24 MSGR 64', 'Ack-Id: 5001', `Registration: ${COOKIE}`, '', '') },
  E14: {
    name: 'MSNP24 edit',
    payload: 371,
    total: 388,
    bytes: wire(
      'SDG 25 MSGR 371', `Registration: ${COOKIE}`, '',
      'Routing: 1.0', 'To: 8:bob.smith', `From: 8:live:alice_1;epid=${ALICE_EP}`, '',
      'Reliability: 1.0', '',
      'Messaging: 2.0', 'Client-Message-ID: 1415097600002', 'Skype-EditedId: 1415097600000', 'Message-Type: Text', 'IM-Display-Name: Alice', 'Content-Type: Text/plain; charset=UTF-8', 'Content-Length: 14', '',
      'Hello (edited)'
    )
  },
  E15: {
    name: 'MSNP24 group thread message',
    payload: 374,
    total: 391,
    bytes: wire(
      'SDG 26 MSGR 374', `Registration: ${COOKIE}`, '',
      'Routing: 1.0', 'To: 19:0123456789abcdef0123456789abcdef@thread.skype', `From: 8:live:alice_1;epid=${ALICE_EP}`, '',
      'Reliability: 1.0', '',
      'Messaging: 2.0', 'Client-Message-ID: 1415097600003', 'Message-Type: Text', 'IM-Display-Name: Alice', 'Content-Type: Text/plain; charset=UTF-8', 'Content-Length: 11', '',
      'hello group'
    )
  },
  P1: {
    name: 'MSNP24 presence publication',
    payload: 866,
    total: 891,
    bytes: wire(
      'PUT 6 MSGR\\PRESENCE 866', `Registration: ${COOKIE}`, '',
      'Routing: 1.0', 'To: 8:live:alice_1', `From: 8:live:alice_1;epid=${ALICE_EP}`, '',
      'Reliability: 1.0', '',
      'Publication: 1.0', 'Uri: /user', 'Content-Type: application/user+xml', 'Content-Length: 605', '',
      `<user><sep n="PE" epid="${ALICE_EP}"><VER>0/6.16.0.105/259/</VER><TYP>11</TYP><Capabilities>0:0</Capabilities></sep><s n="IM"><Status>NLN</Status></s><sep n="IM" epid="${ALICE_EP}"><Capabilities>2952790016:557056:0</Capabilities></sep><sep n="PD" epid="${ALICE_EP}"><EpName>LAPTOP</EpName><ClientType>11</ClientType></sep><s n="SKP"><Mood></Mood><Skypename>live:alice_1</Skypename></s><sep n="SKP" epid="${ALICE_EP}"><NodeInfo></NodeInfo><Version>24</Version><Seamless>true</Seamless></sep></user>`
    )
  },
  P2: {
    name: 'MSNP24 contact list',
    payload: 173,
    total: 198,
    bytes: wire('PUT 7 MSGR\\CONTACTS 173', `Registration: ${COOKIE}`, '', '<ml l="1"><skp><c n="bob.smith" t="8"><s l="3" n="PE"/><s l="3" n="IM"/><s l="3" n="SKP"/><s l="3" n="PUB"/></c></skp></ml>')
  },
  P3: {
    name: 'MSNP24 subscriptions',
    payload: 241,
    total: 271,
    bytes: wire(
      'PUT 8 MSGR\\SUBSCRIPTIONS 241', `Registration: ${COOKIE}`, '',
      '<subscribe><presence><buddies><all /></buddies></presence><messaging><im /><conversations /></messaging><notifications><partners><partner>ABCH</partner></partners></notifications></subscribe>'
    )
  },
  P4: {
    name: 'MSNP24 recent conversations',
    payload: 133,
    total: 169,
    bytes: wire('GET 9 MSGR\\RECENTCONVERSATIONS 133', `Registration: ${COOKIE}`, '', '<recentconversations><start>0</start><pagesize>100</pagesize></recentconversations>')
  },
  P5: { name: 'MSNP24 keep-alive', payload: 50, total: 65, bytes: wire('PNG 10 CON 50', `Registration: ${COOKIE}`, '', '') }
}

export const FIXED = { ALICE_EP, BOB_EP, COOKIE }
