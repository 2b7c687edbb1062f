// Quoted replies of and with media (spec §7.8 ContextInfo): a text quoting a photo carries the
// photo's caption as the quote's text; a photo or document sent as a reply carries its quote
// in its own `contextInfo`; a quoted photo without caption still names its id and author.

import { describe, expect, it } from 'vitest'
import { replyOf } from '../../../../../../src/main/networks/whatsapp/md/actions'
import { userJidOf } from '../../../../../../src/main/networks/whatsapp/md/binary'

const BOB = '15557654321@s.whatsapp.net'

describe('WhatsApp multi-device quotes of media', () => {
  it('a text quoting a captioned photo carries the caption', () => {
    const reply = replyOf(
      { extendedTextMessage: { text: 'nice', contextInfo: { stanzaId: 'P1', participant: BOB, quotedMessage: { imageMessage: { caption: 'the view' } } } } },
      userJidOf
    )
    expect(reply).toEqual({ remoteId: 'P1', senderId: BOB, text: 'the view' })
  })

  it('a quoted photo without caption names only its id and author (Core shows the stored photo)', () => {
    const reply = replyOf(
      {
        extendedTextMessage: { text: 'nice', contextInfo: { stanzaId: 'P2', participant: '15557654321:3@s.whatsapp.net', quotedMessage: { imageMessage: {} } } }
      },
      userJidOf
    )
    expect(reply).toEqual({ remoteId: 'P2', senderId: BOB })
  })

  it('a photo or document sent as a reply carries its quote', () => {
    expect(
      replyOf({ imageMessage: { caption: 'here', contextInfo: { stanzaId: 'T1', participant: BOB, quotedMessage: { conversation: 'show me' } } } }, userJidOf)
    ).toEqual({
      remoteId: 'T1',
      senderId: BOB,
      text: 'show me'
    })
    expect(
      replyOf(
        { documentMessage: { fileName: 'a.pdf', contextInfo: { stanzaId: 'T2', quotedMessage: { documentMessage: { caption: 'the draft' } } } } },
        userJidOf
      )
    ).toEqual({
      remoteId: 'T2',
      text: 'the draft'
    })
  })
})
