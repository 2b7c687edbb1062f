// Inbound SDGs in the shared model: emotes read leniently (spec §6.6), edits on the same
// remote id (§6.4), carbon copies, groups, typing, RichText and thread activity; and the
// §9 incoming examples read field by field.

import { describe, expect, it } from 'vitest'
import { parseCommands, parseMultiMime } from '../../../../../src/main/networks/skype/msnp/index'
import { readMessaging, readPresence, type InboundMessaging } from '../../../../../src/main/networks/skype/inbound'
import { emoteText, richTextToPlain } from '../../../../../src/main/networks/skype/msnp/messaging'
import { messageKey, translate, type TranslateContext } from '../../../../../src/main/networks/skype/translate'
import { EXAMPLES } from './wire-examples'

const payload = (id: string): Uint8Array => parseCommands(Buffer.from(EXAMPLES[id]!.bytes)).commands[0]!.payload!

const ctx: TranslateContext = {
  selfAddresses: new Set(['8:live:alice_1', '1:alice@hotmail.co.uk']),
  canonical: (a) => (a === '1:bob@hotmail.com' ? '8:bob.smith' : a),
  clientIdFor: (cmid) => (cmid === '777' ? 'client-777' : undefined),
  nameOf: (a) => ({ '8:bob.smith': 'Bob Smith' })[a],
  now: () => 42
}

const base: InboundMessaging = {
  from: '8:bob.smith',
  to: '8:live:alice_1',
  messageType: 'Text',
  contentType: 'text/plain',
  body: 'hi',
  clientMessageId: '100',
  arrival: 1000
}

describe('the §9 incoming examples', () => {
  it('E7 (MSNP24): ids, arrival time, display name and body', () => {
    const m = readMessaging(parseMultiMime(payload('E7'), true))
    expect(m).toEqual({
      from: '8:bob.smith',
      fromEpid: '{0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0}',
      to: '8:live:alice_1',
      messageType: 'Text',
      contentType: 'Text/plain; charset=UTF-8',
      body: 'Hi!',
      messageId: '1415097605123',
      clientMessageId: '8843302217',
      displayName: 'Bob Smith',
      arrival: Date.parse('2014-11-04T10:40:05.123Z')
    })
    expect(parseMultiMime(payload('E7'), true).top?.get('ack-id')).toBe('5001')
  })

  it('E3 (MSNP21): a 12-byte body of 10 characters, sent to the Skype chat of the merged contact', () => {
    const m = readMessaging(parseMultiMime(payload('E3'), false))
    expect(m.body).toBe('Hi Alice \u263a')
    const t = translate(m, ctx)
    expect(t).toMatchObject({
      kind: 'message',
      message: { chatRemoteId: '8:bob.smith', senderId: '8:bob.smith', fromMe: false, text: 'Hi Alice \u263a', kind: 'text' }
    })
  })

  it('E3b and E3c: a contact busy "at work", then offline', () => {
    expect(readPresence(parseMultiMime(payload('E3b'), false), false)).toEqual({
      address: '1:bob@hotmail.com',
      presence: 'busy',
      displayName: 'Bob',
      mood: 'at work',
      endpointsGone: []
    })
    expect(readPresence(parseMultiMime(payload('E3c'), false), true)).toEqual({
      address: '1:bob@hotmail.com',
      presence: 'offline',
      endpointsGone: ['{0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0}']
    })
  })
})

describe('/me (spec §6.6)', () => {
  it('reads all three offset conventions as the same action', () => {
    expect(emoteText('Bob Smith waves', '10', 'Bob Smith')).toBe('waves') // SkPy: len(name)+1
    expect(emoteText('Bob Smith waves', '9', 'Bob Smith')).toBe('waves') // gallus: len(name)
    expect(emoteText('/me waves', '4', 'Bob Smith')).toBe('waves') // skypeweb
  })
  it('falls back to the display name, then the whole body, when the offset is unusable', () => {
    expect(emoteText('Bob Smith waves', 'x', 'Bob Smith')).toBe('waves')
    expect(emoteText('Bob Smith waves', '999', 'Bob Smith')).toBe('waves')
    expect(emoteText('dances', '-1', 'Bob')).toBe('dances')
  })
  it('counts in UTF-16 code units', () => {
    expect(emoteText('Zo\u00eb \ud83d\ude00 waves', String('Zo\u00eb \ud83d\ude00'.length + 1), undefined)).toBe('waves')
  })
  it('makes an emote message without the name', () => {
    const t = translate({ ...base, body: 'Bob Smith waves', emoteOffset: '10', displayName: 'Bob Smith' }, ctx)
    expect(t).toMatchObject({ kind: 'message', message: { kind: 'emote', text: 'waves', senderName: 'Bob Smith' } })
  })
})

describe('message identity', () => {
  it('keys a message by sender and Client-Message-ID, the same on every copy', () => {
    const t = translate(base, ctx)
    expect(t.kind === 'message' && t.message.remoteId).toBe(messageKey('8:bob.smith', '100'))
    const copy = translate({ ...base, messageId: 'other-server-id', arrival: 2000 }, ctx)
    expect(copy.kind === 'message' && copy.message.remoteId).toBe(messageKey('8:bob.smith', '100'))
  })

  it('puts an edit on the original\u2019s remote id, and an empty edit deletes it', () => {
    const edit = translate({ ...base, clientMessageId: '101', editedId: '100', body: 'hi (edited)' }, ctx)
    expect(edit).toMatchObject({ kind: 'message', message: { remoteId: messageKey('8:bob.smith', '100'), edited: true, text: 'hi (edited)' } })
    const removal = translate({ ...base, clientMessageId: '102', editedId: '100', body: '' }, ctx)
    expect(removal).toMatchObject({ kind: 'message', message: { remoteId: messageKey('8:bob.smith', '100'), edited: true, deleted: true } })
  })

  it('files our own carbon copy in the peer\u2019s chat and maps it back to the client id', () => {
    const t = translate({ ...base, from: '8:live:alice_1', to: '8:bob.smith', clientMessageId: '777' }, ctx)
    expect(t).toMatchObject({
      kind: 'message',
      message: { chatRemoteId: '8:bob.smith', fromMe: true, clientId: 'client-777', status: 'sent', remoteId: messageKey('8:live:alice_1', '777') }
    })
  })
})

describe('groups, typing and other types', () => {
  it('files a thread message under the thread and passes its topic on', () => {
    const t = translate({ ...base, to: '19:abc@thread.skype', threadTopic: 'Team' }, ctx)
    expect(t).toMatchObject({ kind: 'message', groupTopic: 'Team', message: { chatRemoteId: '19:abc@thread.skype', senderId: '8:bob.smith' } })
  })

  it('reads typing and stopped-typing, and ignores our own', () => {
    expect(translate({ ...base, messageType: 'Control/Typing', body: '' }, ctx)).toEqual({
      kind: 'typing',
      chatRemoteId: '8:bob.smith',
      senderId: '8:bob.smith',
      senderName: 'Bob Smith',
      typing: true
    })
    expect(translate({ ...base, messageType: 'Control/ClearTyping', body: '' }, ctx)).toMatchObject({ kind: 'typing', typing: false })
    expect(translate({ ...base, from: '8:live:alice_1', to: '8:bob.smith', messageType: 'Control/Typing' }, ctx).kind).toBe('ignored')
  })

  it('reads RichText as plain text and ignores what it does not know', () => {
    expect(richTextToPlain('Hello <b>there</b> &amp; <ss type="smile">:)</ss> &#x263a;')).toBe('Hello there & :) \u263a')
    expect(translate({ ...base, messageType: 'Signal/Turn' }, ctx)).toEqual({ kind: 'ignored', messageType: 'Signal/Turn' })
  })

  it('turns thread activity into system messages', () => {
    const t = translate(
      {
        ...base,
        to: '19:abc@thread.skype',
        messageType: 'ThreadActivity/AddMember',
        body: '<addmember><eventtime>5</eventtime><initiator>8:bob.smith</initiator><target>8:carol</target></addmember>'
      },
      ctx
    )
    expect(t).toMatchObject({ kind: 'message', message: { kind: 'system', text: 'Bob Smith added carol', timestamp: 5, chatRemoteId: '19:abc@thread.skype' } })
    // Issue 12 §3: never "Bob Smith added live:dave_2" — a Microsoft-account name loses its `live:` namespace, the own account is "you".
    const named = (body: string): unknown => translate({ ...base, to: '19:abc@thread.skype', messageType: 'ThreadActivity/AddMember', body }, ctx)
    expect(named('<addmember><eventtime>7</eventtime><initiator>8:bob.smith</initiator><target>8:live:dave_2</target></addmember>')).toMatchObject({
      message: { text: 'Bob Smith added dave_2' }
    })
    expect(named('<addmember><eventtime>8</eventtime><initiator>8:bob.smith</initiator><target>8:live:alice_1</target></addmember>')).toMatchObject({
      message: { text: 'Bob Smith added you' }
    })
    const topic = translate(
      {
        ...base,
        to: '19:abc@thread.skype',
        messageType: 'ThreadActivity/TopicUpdate',
        body: '<topicupdate><eventtime>6</eventtime><initiator>8:bob.smith</initiator><value>New name</value></topicupdate>'
      },
      ctx
    )
    expect(topic).toMatchObject({ kind: 'message', groupTopic: 'New name', message: { kind: 'system' } })
  })
})

describe('pictures and files (spec §6.5): media messages, a placeholder where unreadable, never the markup', () => {
  const uri = (type: string, name: string): string =>
    `<URIObject type="${type}" uri="https://api.asm.skype.com/v1/objects/0-weu-d1-abc" url_thumbnail="https://api.asm.skype.com/v1/objects/0-weu-d1-abc/views/imgt1">` +
    `<Title>Title: ${name}</Title><Description> Description: ${name}</Description>` +
    `<a href="https://login.skype.com/login/sso?go=webclient.xmm&amp;pic=0-weu-d1-abc">https://login.skype.com/login/sso?go=webclient.xmm&amp;pic=0-weu-d1-abc</a>` +
    `<OriginalName v="${name}"/><FileSize v="2048"/></URIObject>`

  const withAms = { ...ctx, amsUrl: 'https://api.asm.skype.com/' }

  it('reads RichText/UriObject under the AMS base as an image naming its object', () => {
    const t = translate({ ...base, messageType: 'RichText/UriObject', body: uri('Picture.1', 'beach.jpg') }, withAms)
    expect(t).toMatchObject({
      kind: 'message',
      objectRef: { objectId: '0-weu-d1-abc', kind: 'image', mime: 'image/jpeg' },
      message: { kind: 'image', text: '', media: { mime: 'image/jpeg', size: 2048 }, senderId: '8:bob.smith', remoteId: '8:bob.smith/100', fromMe: false }
    })
  })

  it('reads RichText/Media_GenericFile as a file with its name and size, entities decoded', () => {
    const t = translate({ ...base, messageType: 'RichText/Media_GenericFile', body: uri('File.1', 'Q3 &amp; Q4.pdf') }, withAms)
    expect(t).toMatchObject({
      kind: 'message',
      objectRef: { kind: 'file' },
      message: { kind: 'file', media: { mime: 'application/pdf', size: 2048, name: 'Q3 & Q4.pdf' } }
    })
  })

  it('keeps the placeholder on an account without an AMS store (MSNP21, MSNP18)', () => {
    const t = translate({ ...base, messageType: 'RichText/UriObject', body: uri('Picture.1', 'beach.jpg') }, ctx)
    expect(t).toMatchObject({ kind: 'message', message: { kind: 'text', text: 'Photo' } })
  })

  it('shows a photo whose object is not under the AMS base as a file entry naming no object', () => {
    const t = translate({ ...base, messageType: 'RichText/UriObject', body: uri('Picture.1', 'beach.jpg') }, { ...ctx, amsUrl: 'http://127.0.0.1:9/' })
    expect(t).toMatchObject({ kind: 'message', message: { kind: 'file', media: { name: 'beach.jpg', size: 2048 } } })
    expect(t.kind === 'message' && t.objectRef).toBeFalsy()
  })

  it('a file without a name, video and voice messages read as their kind; own ones are sent', () => {
    expect(translate({ ...base, messageType: 'RichText/Media_GenericFile', body: '<URIObject type="File.1"/>' }, ctx)).toMatchObject({
      message: { text: 'File' }
    })
    expect(translate({ ...base, messageType: 'RichText/Media_Video', body: uri('Video.1/Message.1', 'v.mp4') }, ctx)).toMatchObject({
      message: { text: 'Video' }
    })
    const mine = translate({ ...base, from: '8:live:alice_1', to: '8:bob.smith', messageType: 'RichText/Media_AudioMsg', body: '<URIObject/>' }, ctx)
    expect(mine).toMatchObject({ kind: 'message', message: { text: 'Voice message', fromMe: true, status: 'sent', chatRemoteId: '8:bob.smith' } })
  })

  it('no placeholder contains markup, whatever the body', () => {
    const t = translate({ ...base, messageType: 'RichText/Media_GenericFile', body: '<OriginalName v="<script>"/>' }, ctx)
    expect(t).toMatchObject({ message: { text: 'File' } })
  })
})
